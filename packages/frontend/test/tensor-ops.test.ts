// Tensor methods: NumPy matmul semantics, layout ops (reshape with -1, transpose, expand/squeeze,
// indexing, pad, concat/stack/split, gather), reductions with keepdims, casts. Values vs plain JS.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { evaluate, expectClose, jsMatmul, seq } from './helpers.js';

describe('matmul (NumPy semantics)', () => {
  const shapeOf = (a: number[], b: number[]): readonly number[] => {
    let s: readonly number[] = [];
    k.trace(
      ({ x, y }) => {
        const r = x.matmul(y);
        s = r.shape;
        return r;
      },
      { x: k.f32(a), y: k.f32(b) },
    );
    return s;
  };

  it.each([
    [[3], [3], []],
    [[3], [3, 4], [4]],
    [[2, 3], [3], [2]],
    [
      [2, 3],
      [3, 4],
      [2, 4],
    ],
    [
      [5, 2, 3],
      [3, 4],
      [5, 2, 4],
    ],
    [
      [2, 1, 3, 4],
      [5, 4, 2],
      [2, 5, 3, 2],
    ],
    [[4], [2, 4, 3], [2, 3]],
  ])('%j @ %j -> %j', (a, b, want) => {
    expect(shapeOf(a, b)).toEqual(want);
  });

  it('rejects mismatched contracting dims naming both shapes', () => {
    expect(() => shapeOf([2, 3], [4, 5])).toThrowError(/matmul: contracting dims differ: \[2,3\] @ \[4,5\] \(3 vs 4\)/);
  });

  it('1-D dot and matrix-vector products', () => {
    const out = evaluate(
      ({ a, b, m }) => ({ dot: a.matmul(b), mv: m.matmul(a), vm: a.matmul(m.T) }),
      { a: k.f32([3]), b: k.f32([3]), m: k.f32([2, 3]) },
      {
        a: [1, 2, 3],
        b: [4, 5, 6],
        m: [1, 0, 0, 0, 1, 1],
      },
    );
    expect(out['dot']).toEqual([32]);
    expect(out['mv']).toEqual([1, 5]);
    expect(out['vm']).toEqual([1, 5]);
  });

  it('a batched lhs against a matrix folds the batch into one 2-D matmul', () => {
    const t = k.trace(({ x, w }) => x.matmul(w), { x: k.f32([2, 3, 4]), w: k.f32([4, 5]) });
    const mm = t.graph.nodes.filter((n) => n.op === 'matmul');
    expect(mm).toHaveLength(1);
    expect(mm[0]!.type.shape).toEqual([6, 5]);
    const x = seq(24, 0.5, -3);
    const w = seq(20, 0.25, -2);
    const out = evaluate(({ x, w }) => x.matmul(w), { x: k.f32([2, 3, 4]), w: k.f32([4, 5]) }, { x, w });
    expectClose(out['out']!, jsMatmul(x, w, 6, 4, 5));
  });

  it('broadcasts batch dims', () => {
    const a = seq(2 * 2 * 3, 1, 1);
    const b = seq(3 * 3 * 2, 0.5, -4);
    const out = evaluate(({ a, b }) => a.matmul(b), { a: k.f32([2, 1, 2, 3]), b: k.f32([3, 3, 2]) }, { a, b });
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) want.push(...jsMatmul(a.slice(i * 6, i * 6 + 6), b.slice(j * 6, j * 6 + 6), 2, 3, 2));
    expectClose(out['out']!, want);
  });
});

describe('layout', () => {
  it('reshape infers -1 and rejects bad sizes', () => {
    const t = k.trace(({ x }) => x.reshape([-1, 4]), { x: k.f32([2, 3, 4]) });
    expect(t.outputs[0]!.type.shape).toEqual([6, 4]);
    expect(() => k.trace(({ x }) => x.reshape([5, -1]), { x: k.f32([2, 3]) })).toThrowError(/reshape: cannot reshape \[2,3\] \(6 elements\) to \[5,-1\]/);
    expect(() => k.trace(({ x }) => x.reshape([-1, -1]), { x: k.f32([2, 3]) })).toThrowError(/at most one -1/);
  });

  it('transpose, T and mT permute as NumPy', () => {
    const x = seq(6);
    const out = evaluate(({ x }) => ({ t: x.T, p: x.transpose([1, 0]), m: x.reshape([1, 2, 3]).mT }), { x: k.f32([2, 3]) }, { x });
    expect(out['t']).toEqual([0, 3, 1, 4, 2, 5]);
    expect(out['p']).toEqual([0, 3, 1, 4, 2, 5]);
    expect(out['m']).toEqual([0, 3, 1, 4, 2, 5]);
    const t3 = evaluate(({ x }) => x.transpose([2, 0, 1]), { x: k.f32([2, 2, 2]) }, { x: seq(8) });
    // out[c][a][b] = x[a][b][c]
    expect(t3['out']).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
  });

  it('expandDims and squeeze', () => {
    let shapes: (readonly number[])[] = [];
    k.trace(
      ({ x }) => {
        const e = x.expandDims([0, -1]);
        const s = e.squeeze();
        const s0 = e.squeeze(0);
        shapes = [e.shape, s.shape, s0.shape];
        return s;
      },
      { x: k.f32([2, 3]) },
    );
    expect(shapes).toEqual([
      [1, 2, 3, 1],
      [2, 3],
      [2, 3, 1],
    ]);
    expect(() => k.trace(({ x }) => x.squeeze(0), { x: k.f32([2, 3]) })).toThrowError(/squeeze: dim 0 has size 2, not 1/);
  });

  it('at() indexes like NumPy basic indexing', () => {
    const x = seq(24);
    const out = evaluate(
      ({ x }) => ({ row: x.at(1), last: x.at(-1, [1, null], 2), strided: x.at(null, [null, null, 2], [-2, null]), neg: x.at(0, -1) }),
      { x: k.f32([2, 3, 4]) },
      { x },
    );
    expect(out['row']).toEqual(seq(12, 1, 12));
    expect(out['last']).toEqual([18, 22]);
    // x[:, ::2, -2:]
    expect(out['strided']).toEqual([2, 3, 10, 11, 14, 15, 22, 23]);
    expect(out['neg']).toEqual([8, 9, 10, 11]);
    expect(() => k.trace(({ x }) => x.at(2), { x: k.f32([2, 3]) })).toThrowError(/index 2 is out of range for dim 0/);
  });

  it('slice clamps like Python and sliceAxis cuts one axis', () => {
    const out = evaluate(({ x }) => ({ s: x.slice([1, -10], [100, 3]), a: x.sliceAxis(1, -2, null) }), { x: k.f32([3, 4]) }, { x: seq(12) });
    expect(out['s']).toEqual([4, 5, 6, 8, 9, 10]);
    expect(out['a']).toEqual([2, 3, 6, 7, 10, 11]);
  });

  it('pad with per-dim widths and a value', () => {
    const out = evaluate(
      ({ x }) =>
        x.pad(
          [
            [1, 0],
            [0, 2],
          ],
          9,
        ),
      { x: k.f32([1, 2]) },
      { x: [1, 2] },
    );
    expect(out['out']).toEqual([9, 9, 9, 9, 1, 2, 9, 9]);
  });

  it('concat, stack and split', () => {
    const out = evaluate(
      ({ a, b }) => {
        const [p, q] = k.concat([a, b], 1).split([1, 3], 1);
        return { c: k.concat([a, b], -1), s: k.stack([a, a], 1), p: p!, q: q! };
      },
      { a: k.f32([2, 1]), b: k.f32([2, 3]) },
      { a: [1, 2], b: [3, 4, 5, 6, 7, 8] },
    );
    expect(out['c']).toEqual([1, 3, 4, 5, 2, 6, 7, 8]);
    expect(out['s']).toEqual([1, 1, 2, 2]);
    expect(out['p']).toEqual([1, 2]);
    expect(out['q']).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('gather takes along an axis', () => {
    const out = evaluate(
      ({ x, i }) => ({ rows: x.gather(i, 0), cols: x.gather([2, 0], 1), one: x.gather(1, 0) }),
      { x: k.f32([3, 3]), i: k.i32([2, 2]) },
      {
        x: seq(9),
        i: [2, 0, 1, 1],
      },
    );
    expect(out['rows']).toEqual([6, 7, 8, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
    expect(out['cols']).toEqual([2, 0, 5, 3, 8, 6]);
    expect(out['one']).toEqual([3, 4, 5]);
  });
});

describe('reductions', () => {
  const x = [1, 5, 2, 8, 3, 4];
  it('sum/mean/max/min over axes with keepdims', () => {
    let shapes: (readonly number[])[] = [];
    const out = evaluate(
      ({ x }) => {
        const r = { s: x.sum(), s0: x.sum(0), s1k: x.sum(-1, true), m: x.mean(1), mx: x.max(0), mn: x.min([0, 1], true) };
        shapes = Object.values(r).map((t) => t.shape);
        return r;
      },
      { x: k.f32([2, 3]) },
      { x },
    );
    expect(shapes).toEqual([[], [3], [2, 1], [2], [3], [1, 1]]);
    expect(out['s']).toEqual([23]);
    expect(out['s0']).toEqual([9, 8, 6]);
    expect(out['s1k']).toEqual([8, 15]);
    expectClose(out['m']!, [8 / 3, 5]);
    expect(out['mx']).toEqual([8, 5, 4]);
    expect(out['mn']).toEqual([1]);
  });

  it('var matches the two-pass formula; ddof changes the divisor', () => {
    const out = evaluate(({ x }) => ({ v: x.var(1), v1: x.var(1, false, 1), all: x.var() }), { x: k.f32([2, 3]) }, { x });
    const varOf = (xs: number[], ddof = 0): number => {
      const m = xs.reduce((a, b) => a + b, 0) / xs.length;
      return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - ddof);
    };
    expectClose(out['v']!, [varOf([1, 5, 2]), varOf([8, 3, 4])], 1e-12);
    expectClose(out['v1']!, [varOf([1, 5, 2], 1), varOf([8, 3, 4], 1)], 1e-12);
    expectClose(out['all']!, [varOf(x)], 1e-12);
  });

  it('argmax/argmin return i32 indices of the first extreme', () => {
    const out = evaluate(({ x }) => ({ a: x.argmax(), b: x.argmin(0), c: x.argmax(1, true) }), { x: k.f32([2, 3]) }, { x: [1, 5, 5, 8, 3, 8] });
    expect(out['a']).toEqual([1, 0]);
    expect(out['b']).toEqual([0, 1, 0]);
    expect(out['c']).toEqual([1, 0]);
  });

  it('bool sums count and means average', () => {
    const out = evaluate(({ x }) => ({ n: x.gt(2).sum(), frac: x.gt(2).mean() }), { x: k.f32([6]) }, { x });
    expect(out['n']).toEqual([4]);
    expectClose(out['frac']!, [4 / 6]);
  });

  it('rejects out-of-range axes', () => {
    expect(() => k.trace(({ x }) => x.sum(2), { x: k.f32([2, 3]) })).toThrowError(/sum: axis 2 is out of range for rank 2/);
  });
});

describe('elementwise and casts', () => {
  it('unary math matches Math', () => {
    const xs = [0.25, 1, 2.5];
    const out = evaluate(
      ({ x }) => ({ exp: x.exp(), log: x.log(), sqrt: x.sqrt(), rsqrt: x.rsqrt(), tanh: x.tanh(), sin: x.sin(), cos: x.cos(), neg: x.neg(), sq: x.square(), sig: x.sigmoid() }),
      { x: k.f32([3]) },
      { x: xs },
    );
    expectClose(out['exp']!, xs.map(Math.exp), 1e-12);
    expectClose(out['log']!, xs.map(Math.log), 1e-12);
    expectClose(out['sqrt']!, xs.map(Math.sqrt), 1e-12);
    expectClose(
      out['rsqrt']!,
      xs.map((v) => 1 / Math.sqrt(v)),
      1e-12,
    );
    expectClose(out['tanh']!, xs.map(Math.tanh), 1e-12);
    expectClose(out['sin']!, xs.map(Math.sin), 1e-12);
    expectClose(out['cos']!, xs.map(Math.cos), 1e-12);
    expect(out['neg']).toEqual([-0.25, -1, -2.5]);
    expect(out['sq']).toEqual([0.0625, 1, 6.25]);
    expectClose(
      out['sig']!,
      xs.map((v) => 1 / (1 + Math.exp(-v))),
      1e-12,
    );
  });

  it('comparisons give bool, logical ops combine, cast converts', () => {
    const out = evaluate(
      ({ a, b }) => ({ lt: a.lt(b), ge: a.ge(b), both: a.gt(0).and(b.gt(0)), either: a.gt(0).or(b.gt(0)), not: a.gt(0).not(), i: a.cast('i32'), mx: a.maximum(b), clip: a.clip(-1, 1) }),
      { a: k.f32([3]), b: k.f32([3]) },
      { a: [-1.5, 2.7, 3], b: [1, 2.7, -2] },
    );
    expect(out['lt']).toEqual([1, 0, 0]);
    expect(out['ge']).toEqual([0, 1, 1]);
    expect(out['both']).toEqual([0, 1, 0]);
    expect(out['either']).toEqual([1, 1, 1]);
    expect(out['not']).toEqual([1, 0, 0]);
    expect(out['i']).toEqual([-1, 2, 3]);
    expect(out['mx']).toEqual([1, 2.7, 3]);
    expect(out['clip']).toEqual([-1, 1, 1]);
  });

  it('stopGradient is an identity node', () => {
    const t = k.trace(({ x }) => x.stopGradient(), { x: k.f32([2]) });
    expect(t.graph.nodes.map((n) => n.op)).toEqual(['stop_gradient']);
  });

  it('creation helpers', () => {
    const out = evaluate(
      () => ({
        c: k.constant([
          [1, 2],
          [3, 4],
        ]),
        z: k.zeros([2]),
        o: k.ones([1, 2], 'i32'),
        a: k.arange(4),
        io: k.iota([2, 3], 1),
      }),
      {},
      {},
    );
    expect(out['c']).toEqual([1, 2, 3, 4]);
    expect(out['z']).toEqual([0, 0]);
    expect(out['o']).toEqual([1, 1]);
    expect(out['a']).toEqual([0, 1, 2, 3]);
    expect(out['io']).toEqual([0, 1, 2, 0, 1, 2]);
    expect(() => k.constant(1)).toThrowError(/k\.constant must be called inside k\.trace/);
  });
});
