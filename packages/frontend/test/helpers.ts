// Test helpers for the frontend: trace a function, run it with the CPU interpreter, compare numbers.

import { expect } from 'vitest';
import { interpret, type HostInput } from '@kiln/runtime';
import { initialize, trace, type TensorSpec, type TraceResult, type Traced, type Tensor } from '@kiln/frontend';

/** Runs a traced graph on the interpreter; parameters come from their initializers (seed 0) unless given. */
export function runTraced(
  traced: Traced,
  inputs: Readonly<Record<string, HostInput>>,
  params: Readonly<Record<string, HostInput>> = {},
  precision: 'f32' | 'f64' = 'f64',
): Record<string, number[]> {
  const all: Record<string, HostInput> = { ...inputs };
  for (const p of traced.params) all[p.name] = params[p.name] ?? initialize(p, 0);
  const outs = interpret(traced.graph, all, { precision });
  return Object.fromEntries(Object.entries(outs).map(([n, t]) => [n, Array.from(t.data)]));
}

/** Traces `fn` on `specs` and evaluates its outputs on `inputs` (in f64 unless told otherwise). */
export function evaluate<S extends Readonly<Record<string, TensorSpec>>>(
  fn: (inputs: { readonly [K in keyof S]: Tensor }) => TraceResult,
  specs: S,
  inputs: { readonly [K in keyof S]: HostInput },
  precision: 'f32' | 'f64' = 'f64',
): Record<string, number[]> {
  return runTraced(trace(fn, specs), inputs, {}, precision);
}

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) expect(a, `element ${i}`).toBeNaN();
    else if (!Number.isFinite(e)) expect(a, `element ${i}`).toBe(e);
    else expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

/** The 1-based line of this test file holding `marker` (for asserting reported source lines). */
export function lineOf(source: string, marker: string): number {
  const i = source.split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not found`);
  return i + 1;
}

/** Row-major range data [start, start+1, ...] scaled. */
export function seq(n: number, scale = 1, offset = 0): number[] {
  return Array.from({ length: n }, (_, i) => offset + i * scale);
}

/** Plain-JS matmul of row-major [m,k] and [k,n]. */
export function jsMatmul(a: readonly number[], b: readonly number[], m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return out;
}
