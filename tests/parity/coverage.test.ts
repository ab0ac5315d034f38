// The primitive parity suite covers the whole registry: every op in OP_KINDS has cases whose
// graphs really contain that op, and every op is run by one of the three primitive test files.
// Also checks the comparison itself, so a parity test cannot pass by comparing nothing.

import { describe, expect, it } from 'vitest';
import { OP_KINDS, opDefErased } from '@kiln/ir';
import { primitiveCases } from './cases.js';
import { opsOfFusion } from './primitives.js';
import { EXACT, F32_TOL, f32, i32, mismatch } from './helpers.js';

describe('primitive parity coverage', () => {
  it('every registry op has at least one case containing it', () => {
    for (const op of OP_KINDS) {
      const cases = primitiveCases[op];
      expect(cases.length, op).toBeGreaterThan(0);
      for (const c of cases)
        expect(
          c.graph.nodes.some((n) => n.op === op),
          `${op}: ${c.name}`,
        ).toBe(true);
    }
  });

  it('the three primitive test files together run every op exactly once', () => {
    const run = [...opsOfFusion(['elementwise']), ...opsOfFusion(['layout', 'source', 'call']), ...opsOfFusion(['reduction', 'matmul', 'conv', 'window', 'gather', 'scatter'])];
    expect([...run].sort()).toEqual([...OP_KINDS].sort());
    for (const op of OP_KINDS) expect(opDefErased(op).fusion).toBeDefined();
  });

  it('elementwise ops are tested on every dtype their type rule accepts', () => {
    const dtypesOf = (op: (typeof OP_KINDS)[number]): Set<string> => new Set(primitiveCases[op].map((c) => c.graph.inputs[c.graph.inputs.length - 1]?.type.dtype ?? ''));
    expect([...dtypesOf('div')].sort()).toEqual(['f32', 'i32', 'u32']);
    expect([...dtypesOf('not')].sort()).toEqual(['bool', 'i32', 'u32']);
    expect(primitiveCases.cast.length).toBe(16);
  });
});

describe('parity comparison', () => {
  const tensor = (data: number[]) => ({ type: f32(data.length), data: Float32Array.from(data) });

  it('accepts equal values, NaN against NaN and differences within tolerance', () => {
    expect(mismatch(tensor([1, Number.NaN, 0]), tensor([1, Number.NaN, -0]), EXACT)).toBeUndefined();
    expect(mismatch(tensor([1.000001]), tensor([1]), F32_TOL)).toBeUndefined();
  });

  it('reports the worst element beyond tolerance, NaN against a number, and type differences', () => {
    expect(mismatch(tensor([1, 2.5, 3]), tensor([1, 2, 3]), F32_TOL)).toMatch(/element 1/);
    expect(mismatch(tensor([Number.NaN]), tensor([0]), F32_TOL)).toMatch(/element 0/);
    expect(mismatch(tensor([1]), { type: i32(1), data: Int32Array.from([1]) }, EXACT)).toMatch(/type/);
  });
});
