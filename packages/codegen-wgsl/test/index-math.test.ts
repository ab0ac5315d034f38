// Strided index arithmetic: the WGSL expressions for transpose, broadcast and slice maps,
// evaluated on the CPU for every index, agree with coordinates computed directly.

import { describe, expect, it } from 'vitest';
import { numel, stridesOf } from '@kiln/ir';
import { broadcastStrides, collapseDims, coordOf, flatIndex, isIdentityMap, stridedIndex, transposeStrides } from '../src/index-math.js';
import { isRowBroadcastMap } from '../src/anchor-flow.js';
import { evalU32 } from './u32-eval.js';

/** Row-major coordinates of flat index i. */
function coords(shape: readonly number[], i: number): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    out[d] = i % s;
    i = Math.floor(i / s);
  }
  return out;
}

describe('strided index expressions', () => {
  it('transpose: out[c] = in[c permuted]', () => {
    const inShape = [2, 3, 4, 5];
    const perm = [2, 0, 3, 1];
    const outShape = perm.map((p) => inShape[p]!);
    const expr = stridedIndex(outShape, transposeStrides(inShape, perm), 0, 'i');
    const inStrides = stridesOf(inShape);
    for (let i = 0; i < numel(outShape); i++) {
      const c = coords(outShape, i);
      const want = perm.reduce((acc, p, d) => acc + c[d]! * inStrides[p]!, 0);
      expect(evalU32(expr, { i })).toBe(want);
    }
  });

  it('broadcast: new dims and expanded size-1 dims repeat', () => {
    const inShape = [3, 1];
    const dims = [1, 2];
    const outShape = [2, 3, 4];
    const expr = stridedIndex(outShape, broadcastStrides(inShape, dims, 3), 0, 'i');
    for (let i = 0; i < numel(outShape); i++) expect(evalU32(expr, { i })).toBe(coords(outShape, i)[1]!);
  });

  it('slice: start offset and per-dim stride', () => {
    const inShape = [5, 6];
    const outShape = [2, 2];
    const inStrides = stridesOf(inShape);
    const expr = stridedIndex(outShape, [inStrides[0]! * 2, inStrides[1]! * 3], 1 * inStrides[0]! + 2, 'i');
    for (let i = 0; i < 4; i++) {
      const [r, c] = coords(outShape, i) as [number, number];
      expect(evalU32(expr, { i })).toBe((1 + 2 * r) * 6 + 2 + 3 * c);
    }
  });

  it('collapses contiguous dims so a reshape-like map is just the index', () => {
    expect(collapseDims([2, 3, 4], stridesOf([2, 3, 4]))).toEqual([{ size: 24, stride: 1 }]);
    expect(stridedIndex([2, 3, 4], stridesOf([2, 3, 4]), 0, 'i')).toBe('i');
    expect(stridedIndex([4, 1, 5], [0, 7, 0], 3, 'i')).toBe('3u');
  });

  it('coordOf and flatIndex invert each other', () => {
    const shape = [3, 1, 4, 2];
    for (let i = 0; i < numel(shape); i++) {
      const c = shape.map((_, d) => evalU32(coordOf(shape, d, 'i'), { i }));
      expect(c).toEqual(coords(shape, i));
      const vars: Record<string, number> = { a: c[0]!, b: c[1]!, c: c[2]!, d: c[3]! };
      expect(evalU32(flatIndex(shape, ['a', 'b', 'c', 'd']), vars)).toBe(i);
    }
  });

  it('recognises identity maps and row broadcasts', () => {
    expect(isIdentityMap([2, 1, 3], [3, 99, 1])).toBe(true);
    expect(isIdentityMap([2, 3], [1, 2])).toBe(false);
    // [A,B] -> [A,B,L] along the last axis: i -> floor(i / L).
    expect(isRowBroadcastMap([2, 3, 5], broadcastStrides([2, 3], [0, 1], 3), 5)).toBe(true);
    // keepdims style: [A,B,1] -> [A,B,L].
    expect(isRowBroadcastMap([2, 3, 5], broadcastStrides([2, 3, 1], [0, 1, 2], 3), 5)).toBe(true);
    // Broadcasting along a leading axis is not a row map.
    expect(isRowBroadcastMap([5, 3], broadcastStrides([3], [1], 2), 3)).toBe(false);
  });
});
