// Special-value table test: NaN, ±Inf and ±0 through every f32 elementwise op,
// and through the patterns fast-math drivers fold, on the CPU interpreter and on WebGPU (after the
// default pipeline, so fusion inlines constants), against the IEEE / C99 reference. Zero deviations.

import { describe, expect, it } from 'vitest';
import { parse } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { interpret } from '@kiln/runtime';
import { acquireDevice, harness } from './helpers.js';
import { BINARY, CASTS, PATTERNS, SPECIAL, UNARY, agrees, castGraph, fmt, opCases, opGraph, patternText, type BinaryOp, type UnaryOp } from './special-values.js';

const device = await acquireDevice();
const OPS = [...Object.keys(UNARY), ...Object.keys(BINARY)] as (UnaryOp | BinaryOp)[];
/** Approximations (Kiln's erf, tanh, sin/cos of 1e30 by the builtin, ...) only need the right class. */
const RTOL: Partial<Record<UnaryOp | BinaryOp, number>> = { erf: 1e-3, sin: Infinity, cos: Infinity };
const rtolOf = (op: UnaryOp | BinaryOp): number => RTOL[op] ?? 1e-4;

function differing(got: ArrayLike<number>, checks: readonly { label: string; want: number }[], rtol: number): string[] {
  return checks.flatMap((c, i) => (agrees(got[i] ?? NaN, c.want, rtol) ? [] : [`${c.label} = ${fmt(got[i] ?? NaN)}, IEEE/C99 ${fmt(c.want)}`]));
}

const CAST_TARGETS = Object.keys(CASTS) as (keyof typeof CASTS)[];
const castChecks = (to: keyof typeof CASTS): { label: string; want: number }[] => SPECIAL.map((x) => ({ label: `cast ${to}(${fmt(x)})`, want: CASTS[to](x) }));

const patternChecks = (ref: (x: number) => number): { label: string; want: number }[] => SPECIAL.map((x) => ({ label: `x=${fmt(x)}`, want: Math.fround(ref(Math.fround(x))) }));

describe('special values on the CPU interpreter', () => {
  it.each(OPS)('%s', (op) => {
    const { inputs, checks } = opCases(op);
    expect(differing(interpret(opGraph(op), inputs)['r']!.data, checks, rtolOf(op))).toEqual([]);
  });

  it.each(CAST_TARGETS)('cast f32 → %s', (to) => {
    expect(differing(interpret(castGraph(to), { x: [...SPECIAL] })['r']!.data, castChecks(to), 0)).toEqual([]);
  });

  it.each(PATTERNS.map((p) => [p.name, p] as const))('%s after the default pipeline (simplify, fold, fuse)', (_n, p) => {
    const g = runPipeline(parse(patternText(p)), DEFAULT_PIPELINE).graph;
    expect(differing(interpret(g, { x: [...SPECIAL] })['r']!.data, patternChecks(p.ref), 1e-6)).toEqual([]);
  });
});

describe.skipIf(device === undefined)('special values on WebGPU', () => {
  const h = harness(device!);
  it('every f32 elementwise op', async () => {
    const bad: string[] = [];
    let total = 0;
    for (const op of OPS) {
      const { inputs, checks } = opCases(op);
      total += checks.length;
      const g = runPipeline(opGraph(op), DEFAULT_PIPELINE).graph;
      const exe = await h.backend.compile(g);
      try {
        bad.push(...differing((await exe.run(inputs))['r']!.data, checks, rtolOf(op)));
      } finally {
        exe.dispose();
      }
    }
    for (const to of CAST_TARGETS) {
      const exe = await h.backend.compile(runPipeline(castGraph(to), DEFAULT_PIPELINE).graph);
      try {
        bad.push(...differing((await exe.run({ x: [...SPECIAL] }))['r']!.data, castChecks(to), 0));
      } finally {
        exe.dispose();
      }
    }
    expect(total).toBeGreaterThan(2500);
    expect(bad).toEqual([]);
  });

  it('fast-math patterns with inlined constants and repeated operands', async () => {
    const bad: string[] = [];
    for (const p of PATTERNS) {
      const g = runPipeline(parse(patternText(p)), DEFAULT_PIPELINE).graph;
      const exe = await h.backend.compile(g);
      try {
        bad.push(...differing((await exe.run({ x: [...SPECIAL] }))['r']!.data, patternChecks(p.ref), 1e-6).map((m) => `${p.name}: ${m}`));
      } finally {
        exe.dispose();
      }
    }
    expect(bad).toEqual([]);
  });
});
