// Reduction eval rules: reduce_sum/max/min over one or several axes (identities for empty
// reductions, int wrapping) and argmax/argmin (first extreme wins).

import { describe, expect, it } from 'vitest';
import { arg, evalNums, evalOp, f32, i32, u32 } from './helpers.js';

// [[1,2,3],[4,5,6]]
const m = arg(f32(2, 3), [1, 2, 3, 4, 5, 6]);

describe('reductions', () => {
  it('reduce_sum: over rows, columns and everything', () => {
    expect(evalNums('reduce_sum', [m], { axes: [0] })).toEqual([5, 7, 9]);
    expect(evalNums('reduce_sum', [m], { axes: [1] })).toEqual([6, 15]);
    const all = evalOp('reduce_sum', [m], { axes: [0, 1] });
    expect(all.type.shape).toEqual([]);
    expect(Array.from(all.data)).toEqual([21]);
  });

  it('reduce_sum: non-adjacent axes of a 3-D tensor', () => {
    // x[i,j,k] = 4i + 2j + k; sum over i,k: j=0 -> 0+1+4+5 = 10, j=1 -> 2+3+6+7 = 18
    expect(evalNums('reduce_sum', [arg(f32(2, 2, 2), [0, 1, 2, 3, 4, 5, 6, 7])], { axes: [0, 2] })).toEqual([10, 18]);
  });

  it('reduce_sum: no axes is the identity; empty axis gives 0', () => {
    expect(evalNums('reduce_sum', [m], { axes: [] })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(evalNums('reduce_sum', [arg(f32(0, 3), [])], { axes: [0] })).toEqual([0, 0, 0]);
  });

  it('reduce_sum: i32 sums wrap', () => {
    expect(evalNums('reduce_sum', [arg(i32(2), [2147483647, 1])], { axes: [0] })).toEqual([-2147483648]);
    expect(evalNums('reduce_sum', [arg(u32(3), [4294967295, 4294967295, 3])], { axes: [0] })).toEqual([1]);
  });

  it('reduce_max, reduce_min: per row and column', () => {
    expect(evalNums('reduce_max', [m], { axes: [1] })).toEqual([3, 6]);
    expect(evalNums('reduce_min', [m], { axes: [0] })).toEqual([1, 2, 3]);
    expect(evalNums('reduce_max', [arg(i32(3), [-7, -2, -9])], { axes: [0] })).toEqual([-2]);
  });

  it('reduce_max, reduce_min: empty reductions give -inf/+inf (int range ends for ints)', () => {
    expect(evalNums('reduce_max', [arg(f32(0, 2), [])], { axes: [0] })).toEqual([-Infinity, -Infinity]);
    expect(evalNums('reduce_min', [arg(f32(0, 2), [])], { axes: [0] })).toEqual([Infinity, Infinity]);
    expect(evalNums('reduce_max', [arg(i32(2, 0), [])], { axes: [1] })).toEqual([-2147483648, -2147483648]);
    expect(evalNums('reduce_min', [arg(i32(1, 0), [])], { axes: [1] })).toEqual([2147483647]);
    expect(evalNums('reduce_min', [arg(u32(0), [])], { axes: [0] })).toEqual([4294967295]);
    expect(evalNums('reduce_max', [arg(u32(0), [])], { axes: [0] })).toEqual([0]);
  });

  it('reduce_max: NaN propagates', () => {
    expect(evalNums('reduce_max', [arg(f32(3), [1, NaN, 2])], { axes: [0] })).toEqual([NaN]);
    expect(evalNums('reduce_min', [arg(f32(3), [NaN, 1, 2])], { axes: [0] })).toEqual([NaN]);
  });

  it('argmax: index of the first maximum, as i32', () => {
    // [[1,3,3],[5,0,5]]
    const x = arg(f32(2, 3), [1, 3, 3, 5, 0, 5]);
    const r = evalOp('argmax', [x], { axis: 1 });
    expect(r.type.dtype).toBe('i32');
    expect(r.data).toBeInstanceOf(Int32Array);
    expect(Array.from(r.data)).toEqual([1, 0]);
    expect(evalNums('argmax', [x], { axis: 0 })).toEqual([1, 0, 1]);
  });

  it('argmin: index of the first minimum', () => {
    expect(evalNums('argmin', [arg(f32(2, 3), [1, 3, 3, 5, 0, 5])], { axis: 1 })).toEqual([0, 1]);
    expect(evalNums('argmin', [arg(i32(3), [2, 1, 1])], { axis: 0 })).toEqual([1]);
    // middle axis of [2,3,2]: x[i,j,k] with minima at j = 2 (i=0,k=0), 0 (i=0,k=1), 1, 1
    expect(evalNums('argmin', [arg(f32(2, 3, 2), [5, 0, 4, 1, 3, 2, 9, 9, 1, 1, 2, 2])], { axis: 1 })).toEqual([2, 0, 1, 1]);
  });

  it('argmax: a NaN counts as the maximum (first one wins)', () => {
    expect(evalNums('argmax', [arg(f32(4), [1, NaN, 5, NaN])], { axis: 0 })).toEqual([1]);
  });
});
