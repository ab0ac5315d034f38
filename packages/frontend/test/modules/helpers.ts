// Module tests: helpers to run a module and its functional counterpart through k.jit on the CPU
// interpreter, read the functional form's initial weights, and compare results.

import { expect } from 'vitest';
import * as k from '@kiln/frontend';
import { interpret, type HostInput } from '@kiln/runtime';
import { elementAt, lcgUniforms } from '@kiln/ir';

/** Deterministic values in [-1, 1) (an LCG, so tests need no seeded library). */
export function rand(n: number, seed: number): number[] {
  return lcgUniforms(n, seed);
}

/** An f32 host tensor of `shape` filled with rand(…, seed). */
export function randTensor(shape: readonly number[], seed: number): k.HostTensor {
  return k.tensor(
    rand(
      shape.reduce((a, d) => a * d, 1),
      seed,
    ),
    shape,
  );
}

type Inputs = Readonly<Record<string, k.Tensor>>;

/**
 * Runs `fn` once through k.jit on the CPU and returns its output and the initial values of the
 * state it created by name (functional layers): seeded with 0 here and the state's name, so
 * `initialize(spec, 0)` reproduces the values the run used.
 */
export async function runFunctional<I extends Inputs>(
  fn: (inputs: I) => k.Tensor,
  inputs: { readonly [K in keyof I]: k.TensorInput },
): Promise<{ out: k.HostTensor; weights: Record<string, k.HostTensor> }> {
  const f = k.jit(fn, { backend: 'cpu', seed: 0 });
  const out = await f(inputs);
  const traced = f.lastCompiled?.traced;
  if (traced === undefined) throw new Error('nothing was compiled');
  const weights: Record<string, k.HostTensor> = {};
  for (const p of traced.params) weights[p.name] = new k.HostTensor(p.type, k.initialize(p, 0));
  f.dispose();
  return { out, weights };
}

/** Runs `fn` (which calls a module) once through k.jit on the CPU. */
export async function runModule<I extends Inputs>(fn: (inputs: I) => k.Tensor, inputs: { readonly [K in keyof I]: k.TensorInput }): Promise<k.HostTensor> {
  const f = k.jit(fn, { backend: 'cpu' });
  const out = await f(inputs);
  f.dispose();
  return out;
}

/** The weight named `name` of a functional run (failing the test when it is absent). */
export function weight(weights: Readonly<Record<string, k.HostTensor>>, name: string): k.HostTensor {
  const w = weights[name];
  if (w === undefined) throw new Error(`no functional weight ${name}; have ${Object.keys(weights).join(', ')}`);
  return w;
}

/** Concatenates [rows, c_i] matrices along their last dim (to fuse separate projections). */
export function concatColumns(rows: number, parts: readonly k.HostTensor[]): k.HostTensor {
  const widths = parts.map((p) => elementAt(p.shape, p.rank - 1, 'concatColumns part shape'));
  const total = widths.reduce((a, w) => a + w, 0);
  const out = new Float32Array(rows * total);
  let offset = 0;
  parts.forEach((p, i) => {
    const w = widths[i]!;
    for (let r = 0; r < rows; r++) for (let c = 0; c < w; c++) out[r * total + offset + c] = p.data[r * w + c]!;
    offset += w;
  });
  return k.tensor(out, rows === 1 && parts.every((p) => p.rank === 1) ? [total] : [rows, total]);
}

/** Same shape and elementwise |a - e| <= tol·max(1, |e|). */
export function expectAllClose(actual: k.HostTensor, expected: k.HostTensor, tol = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  for (let i = 0; i < expected.size; i++) {
    const a = actual.data[i]!;
    const e = expected.data[i]!;
    expect(Math.abs(a - e), `element ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

/** name → shape of every parameter, in order. */
export function parameterShapes(m: k.nn.Module): [string, readonly number[]][] {
  return m.namedParameters().map((p) => [p.name, p.shape]);
}

/**
 * Traces `fn` (functional layers) and runs it on the CPU interpreter with the given values for its
 * state (any state not given takes its initial value), so a functional layer can be evaluated
 * with arbitrary weights; returns every output, updated state included.
 */
export function interpretFunctional(
  fn: (inputs: Readonly<Record<string, k.Tensor | undefined>>) => k.TraceResult,
  inputs: Readonly<Record<string, k.HostTensor>>,
  state: Readonly<Record<string, k.HostTensor>>,
): Record<string, k.HostTensor> {
  const specs = Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, t.type]));
  const traced = k.trace(fn, specs);
  const values: Record<string, HostInput> = { ...inputs };
  for (const p of traced.params) values[p.name] = state[p.name] ?? new k.HostTensor(p.type, k.initialize(p, 0));
  const unknown = Object.keys(state).filter((n) => !traced.params.some((p) => p.name === n));
  if (unknown.length > 0) throw new Error(`not state of the functional graph: ${unknown.join(', ')} (it has ${traced.params.map((p) => p.name).join(', ')})`);
  const outs = interpret(traced.graph, values);
  return Object.fromEntries(Object.entries(outs).map(([n, t]) => [n, new k.HostTensor(t.type, t.data)]));
}
