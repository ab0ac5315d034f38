// NumPy-style broadcasting in the frontend: result shapes, the explicit IR broadcast nodes it
// inserts, number coercion, and values checked against hand-computed results.

import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import * as k from '@kiln/frontend';
import { evaluate, expectClose } from './helpers.js';

function traceShape(a: number[], b: number[]): readonly number[] {
  let shape: readonly number[] = [];
  k.trace(
    ({ x, y }) => {
      const r = x.add(y);
      shape = r.shape;
      return r;
    },
    { x: k.f32(a), y: k.f32(b) },
  );
  return shape;
}

describe('broadcast shapes', () => {
  it.each([
    [
      [3, 1],
      [1, 4],
      [3, 4],
    ],
    [[2, 3, 4], [4], [2, 3, 4]],
    [
      [5, 1, 3],
      [4, 1],
      [5, 4, 3],
    ],
    [[], [2, 2], [2, 2]],
    [[1], [3], [3]],
    [
      [2, 1, 1],
      [1, 3, 1],
      [2, 3, 1],
    ],
    [
      [0, 3],
      [1, 3],
      [0, 3],
    ],
  ])('%j + %j -> %j', (a, b, want) => {
    expect(traceShape(a, b)).toEqual(want);
  });

  it('rejects incompatible shapes naming both', () => {
    expect(() => traceShape([3], [4])).toThrowError(KilnError);
    expect(() => traceShape([2, 3], [3, 2])).toThrowError(/add: shapes \[2,3\] and \[3,2\] cannot be broadcast together/);
  });

  it('emits one broadcast node per expanded operand, with XLA dims', () => {
    const t = k.trace(({ x, y }) => x.mul(y), { x: k.f32([3, 1]), y: k.f32([4]) });
    const bcasts = t.graph.nodes.filter((n) => n.op === 'broadcast');
    expect(bcasts.map((n) => n.attrs)).toEqual([
      { dims: [0, 1], shape: [3, 4] },
      { dims: [1], shape: [3, 4] },
    ]);
    const mul = t.graph.nodes.find((n) => n.op === 'mul')!;
    expect(mul.type.shape).toEqual([3, 4]);
  });

  it('adds no broadcast when shapes already match', () => {
    const t = k.trace(({ x, y }) => x.sub(y), { x: k.f32([2, 2]), y: k.f32([2, 2]) });
    expect(t.graph.nodes.map((n) => n.op)).toEqual(['sub']);
  });
});

describe('broadcast values', () => {
  it('column + row gives the outer sum', () => {
    const out = evaluate(({ x, y }) => x.add(y), { x: k.f32([3, 1]), y: k.f32([1, 4]) }, { x: [0, 10, 20], y: [1, 2, 3, 4] });
    expect(out['out']).toEqual([1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 23, 24]);
  });

  it('a vector broadcasts over the leading dims of a rank-3 tensor', () => {
    const out = evaluate(({ x, y }) => x.mul(y), { x: k.f32([2, 2, 3]), y: k.f32([3]) }, { x: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4], y: [1, 10, 100] });
    expect(out['out']).toEqual([1, 10, 100, 2, 20, 200, 3, 30, 300, 4, 40, 400]);
  });

  it('where broadcasts condition and branches', () => {
    const out = evaluate(({ c, a }) => k.where(c, a, -1), { c: k.bool([2, 1]), a: k.f32([3]) }, { c: [1, 0], a: [5, 6, 7] });
    expect(out['out']).toEqual([5, 6, 7, -1, -1, -1]);
  });

  it('broadcastTo follows NumPy rules', () => {
    const out = evaluate(({ x }) => x.broadcastTo([2, 3]), { x: k.f32([3]) }, { x: [1, 2, 3] });
    expect(out['out']).toEqual([1, 2, 3, 1, 2, 3]);
    expect(() => k.trace(({ x }) => x.broadcastTo([3, 2]), { x: k.f32([3]) })).toThrowError(/cannot broadcast \[3\] to \[3,2\]/);
  });
});

describe('numbers become constants of the other operand', () => {
  it('takes the tensor dtype and shape', () => {
    const t = k.trace(({ n }) => n.mul(3).add(1), { n: k.i32([2]) });
    const consts = t.graph.nodes.filter((n) => n.op === 'constant');
    expect(consts.map((c) => [c.type.dtype, c.type.shape])).toEqual([
      ['i32', [2]],
      ['i32', [2]],
    ]);
    expect(evaluate(({ n }) => n.mul(3).add(1), { n: k.i32([2]) }, { n: [2, -5] })['out']).toEqual([7, -14]);
  });

  it('works on the left operand too', () => {
    expect(evaluate(({ x }) => k.sub(10, x), { x: k.f32([2]) }, { x: [1, 4] })['out']).toEqual([9, 6]);
    expect(evaluate(({ x }) => k.div(1, x), { x: k.f32([2]) }, { x: [4, -0.5] })['out']).toEqual([0.25, -2]);
  });

  it('refuses numbers the dtype cannot hold and mixed tensor dtypes', () => {
    expect(() => k.trace(({ n }) => n.add(0.5), { n: k.i32([2]) })).toThrowError(/0\.5 is not a valid i32 value/);
    expect(() => k.trace(({ n }) => n.add(-1), { n: k.u32([2]) })).toThrowError(/-1 is not a valid u32 value/);
    expect(() => k.trace(({ a, b }) => a.add(b), { a: k.f32([2]), b: k.i32([2]) })).toThrowError(/add: operand dtypes differ.*f32\[2\], i32\[2\]/);
  });

  it('pow with small integer exponents multiplies (defined for negative bases)', () => {
    const t = k.trace(({ x }) => ({ sq: x.pow(2), cube: x.pow(3), inv: x.pow(-1), gen: x.abs().pow(1.5) }), { x: k.f32([3]) });
    expect(t.graph.nodes.filter((n) => n.op === 'pow')).toHaveLength(1);
    const out = evaluate(({ x }) => ({ sq: x.pow(2), cube: x.pow(3), inv: x.pow(-1), gen: x.abs().pow(1.5), one: x.pow(0) }), { x: k.f32([3]) }, { x: [-2, 0.5, 4] });
    expect(out['sq']).toEqual([4, 0.25, 16]);
    expect(out['cube']).toEqual([-8, 0.125, 64]);
    expect(out['inv']).toEqual([-0.5, 2, 0.25]);
    expect(out['one']).toEqual([1, 1, 1]);
    expectClose(out['gen']!, [2 * Math.SQRT2, 0.5 * Math.SQRT1_2, 8], 1e-12);
  });
});
