// Layout eval rules (reshape, transpose, broadcast, slice, pad, concat) on hand-checked cases,
// including strided slices, negative and interior padding, and zero-size dims.

import { describe, expect, it } from 'vitest';
import { arg, evalNums, evalOp, f32, i32, bool } from './helpers.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('layout ops', () => {
  it('reshape: keeps row-major order', () => {
    const r = evalOp('reshape', [arg(f32(2, 3), [1, 2, 3, 4, 5, 6])], { shape: [3, 2] });
    expect(r.type.shape).toEqual([3, 2]);
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('transpose: 2-D swaps rows and columns', () => {
    // [[0,1,2],[3,4,5]]^T = [[0,3],[1,4],[2,5]]
    expect(evalNums('transpose', [arg(f32(2, 3), range(6))], { perm: [1, 0] })).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('transpose: result dim i is operand dim perm[i]', () => {
    // x[a,b,c] = 100a + 10b + c over [2,3,4]; perm [2,0,1] gives out[i,j,k] = x[j,k,i].
    const x: number[] = [];
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) x.push(100 * a + 10 * b + c);
    const want: number[] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) want.push(100 * j + 10 * k + i);
    const r = evalOp('transpose', [arg(i32(2, 3, 4), x)], { perm: [2, 0, 1] });
    expect(r.type.shape).toEqual([4, 2, 3]);
    expect(Array.from(r.data)).toEqual(want);
  });

  it('broadcast: operand dim maps to dims[i], others repeat', () => {
    expect(evalNums('broadcast', [arg(f32(3), [1, 2, 3])], { dims: [1], shape: [2, 3] })).toEqual([1, 2, 3, 1, 2, 3]);
    expect(evalNums('broadcast', [arg(f32(2), [1, 2])], { dims: [0], shape: [2, 3] })).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('broadcast: size-1 operand dims expand; scalars fill', () => {
    // [2,1] -> [2,3] via dims [0,1]: the size-1 column expands.
    expect(evalNums('broadcast', [arg(f32(2, 1), [7, 8])], { dims: [0, 1], shape: [2, 3] })).toEqual([7, 7, 7, 8, 8, 8]);
    // [1,3] -> [2,3]
    expect(evalNums('broadcast', [arg(i32(1, 3), [1, 2, 3])], { dims: [0, 1], shape: [2, 3] })).toEqual([1, 2, 3, 1, 2, 3]);
    expect(evalNums('broadcast', [arg(f32(), [5])], { dims: [], shape: [2, 2] })).toEqual([5, 5, 5, 5]);
  });

  it('slice: strided 1-D', () => {
    // 0..9, [1:8:3] -> 1, 4, 7
    expect(evalNums('slice', [arg(f32(10), range(10))], { start: [1], limit: [8], stride: [3] })).toEqual([1, 4, 7]);
  });

  it('slice: strided 2-D picks rows 0,2 and columns 1,3', () => {
    // [[0,1,2,3],[4,5,6,7],[8,9,10,11]]
    const r = evalOp('slice', [arg(f32(3, 4), range(12))], { start: [0, 1], limit: [3, 4], stride: [2, 2] });
    expect(r.type.shape).toEqual([2, 2]);
    expect(Array.from(r.data)).toEqual([1, 3, 9, 11]);
  });

  it('slice: empty result', () => {
    const r = evalOp('slice', [arg(f32(4), [1, 2, 3, 4])], { start: [2], limit: [2], stride: [1] });
    expect(r.type.shape).toEqual([0]);
    expect(r.data.length).toBe(0);
  });

  it('pad: low/high edges and interior gaps', () => {
    // [1,2,3], low 1, high 2, interior 1 -> [0, 1,0,2,0,3, 0,0]
    expect(evalNums('pad', [arg(f32(3), [1, 2, 3])], { low: [1], high: [2], interior: [1], value: 0 })).toEqual([0, 1, 0, 2, 0, 3, 0, 0]);
  });

  it('pad: negative low/high crop', () => {
    // [1,2,3,4], low -1, high 1 -> [2,3,4,9]
    expect(evalNums('pad', [arg(f32(4), [1, 2, 3, 4])], { low: [-1], high: [1], interior: [0], value: 9 })).toEqual([2, 3, 4, 9]);
  });

  it('pad: negative crop combined with interior', () => {
    // dilated [1,7,2,7,3], crop 2 low and 1 high -> [2,7]
    expect(evalNums('pad', [arg(f32(3), [1, 2, 3])], { low: [-2], high: [-1], interior: [1], value: 7 })).toEqual([2, 7]);
  });

  it('pad: 2-D with a fill value, ints and bools', () => {
    // [[1,2],[3,4]], one row above, one column right, fill -1
    expect(evalNums('pad', [arg(i32(2, 2), [1, 2, 3, 4])], { low: [1, 0], high: [0, 1], interior: [0, 0], value: -1 })).toEqual([-1, -1, -1, 1, 2, -1, 3, 4, -1]);
    expect(evalNums('pad', [arg(bool(1), [0])], { low: [1], high: [0], interior: [0], value: 1 })).toEqual([1, 0]);
  });

  it('pad: a zero-size operand becomes all fill', () => {
    expect(evalNums('pad', [arg(f32(0), [])], { low: [1], high: [1], interior: [3], value: 2.5 })).toEqual([2.5, 2.5]);
  });

  it('concat: along axis 0 and axis 1', () => {
    expect(evalNums('concat', [arg(f32(2), [1, 2]), arg(f32(1), [3]), arg(f32(3), [4, 5, 6])], { axis: 0 })).toEqual([1, 2, 3, 4, 5, 6]);
    // [[1],[2]] ++ [[3,4],[5,6]] along 1 -> [[1,3,4],[2,5,6]]
    expect(evalNums('concat', [arg(f32(2, 1), [1, 2]), arg(f32(2, 2), [3, 4, 5, 6])], { axis: 1 })).toEqual([1, 3, 4, 2, 5, 6]);
  });

  it('concat: zero-size operands contribute nothing', () => {
    const r = evalOp('concat', [arg(f32(0, 2), []), arg(f32(1, 2), [1, 2]), arg(f32(0, 2), [])], { axis: 0 });
    expect(r.type.shape).toEqual([1, 2]);
    expect(Array.from(r.data)).toEqual([1, 2]);
  });

  it('transpose, broadcast, reshape: zero-size dims give empty results', () => {
    expect(evalOp('transpose', [arg(f32(0, 3), [])], { perm: [1, 0] }).data.length).toBe(0);
    expect(evalOp('broadcast', [arg(f32(3), [1, 2, 3])], { dims: [1], shape: [0, 3] }).data.length).toBe(0);
    expect(evalOp('reshape', [arg(f32(0, 3), [])], { shape: [3, 0] }).type.shape).toEqual([3, 0]);
  });
});
