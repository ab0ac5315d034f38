// Window and indexing eval rules: reduce_window (max/sum, with padding), select_and_scatter_add
// (overlapping windows, padding), gather (indices clamp) and scatter_add (indices dropped).

import { describe, expect, it } from 'vitest';
import { arg, evalNums, evalOp, f32, i32, u32 } from './helpers.js';

describe('reduce_window', () => {
  it('reduce_window: 1-D max and sum with padding', () => {
    // padded [-inf|0, 1,3,2,5,4, -inf|0], windows of 2 at stride 2: [p,1] [3,2] [5,4]
    const x = arg(f32(5), [1, 3, 2, 5, 4]);
    const attrs = { window: [2], stride: [2], padding: [[1, 1]] as const };
    expect(evalNums('reduce_window', [x], { kind: 'max', ...attrs })).toEqual([1, 3, 5]);
    expect(evalNums('reduce_window', [x], { kind: 'sum', ...attrs })).toEqual([1, 5, 9]);
  });

  it('reduce_window: 2-D 2x2 max pool, unpadded and padded', () => {
    // [[1,5,2,0],[3,4,8,1],[0,2,6,7],[9,1,3,4]]
    const x = arg(f32(4, 4), [1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 4]);
    expect(
      evalNums('reduce_window', [x], {
        kind: 'max',
        window: [2, 2],
        stride: [2, 2],
        padding: [
          [0, 0],
          [0, 0],
        ],
      }),
    ).toEqual([5, 8, 9, 7]);
    // One padding row/column before: windows cover {x00}, {x01,x02}, {x10,x20}, {x11,x12,x21,x22}.
    const padded = {
      window: [2, 2],
      stride: [2, 2],
      padding: [
        [1, 0],
        [1, 0],
      ] as const,
    };
    expect(evalNums('reduce_window', [x], { kind: 'max', ...padded })).toEqual([1, 5, 3, 8]);
    expect(evalNums('reduce_window', [x], { kind: 'sum', ...padded })).toEqual([1, 7, 3, 20]);
  });

  it('reduce_window: windows entirely in padding give the identity', () => {
    const attrs = { window: [1], stride: [1], padding: [[2, 0]] as const };
    expect(evalNums('reduce_window', [arg(f32(2), [3, 4])], { kind: 'max', ...attrs })).toEqual([-Infinity, -Infinity, 3, 4]);
    expect(evalNums('reduce_window', [arg(f32(2), [3, 4])], { kind: 'sum', ...attrs })).toEqual([0, 0, 3, 4]);
    expect(evalNums('reduce_window', [arg(i32(2), [3, 4])], { kind: 'max', ...attrs })).toEqual([-2147483648, -2147483648, 3, 4]);
  });

  it('reduce_window: overlapping windows (stride 1)', () => {
    // sums of [1,2,3], [2,3,4]
    expect(evalNums('reduce_window', [arg(f32(4), [1, 2, 3, 4])], { kind: 'sum', window: [3], stride: [1], padding: [[0, 0]] })).toEqual([6, 9]);
  });
});

describe('select_and_scatter_add', () => {
  it('select_and_scatter_add: overlapping windows route to the first maximum', () => {
    // x = [1,3,2,3,0], windows of 3: [1,3,2] -> idx 1, [3,2,3] -> idx 1 (first max), [2,3,0] -> idx 3
    const r = evalNums('select_and_scatter_add', [arg(f32(3), [10, 20, 30]), arg(f32(5), [1, 3, 2, 3, 0])], {
      window: [3],
      stride: [1],
      padding: [[0, 0]],
    });
    expect(r).toEqual([0, 30, 0, 30, 0]);
  });

  it('select_and_scatter_add: padding positions are never selected', () => {
    // padded [p,5,1,4,p], windows of 2: [p,5]->0, [5,1]->0, [1,4]->2, [4,p]->2
    expect(evalNums('select_and_scatter_add', [arg(f32(4), [1, 2, 3, 4]), arg(f32(3), [5, 1, 4])], { window: [2], stride: [1], padding: [[1, 1]] })).toEqual([3, 0, 7]);
    // A window made only of padding adds nothing (total mass 3 + 4, not 2 + 3 + 4).
    expect(evalNums('select_and_scatter_add', [arg(f32(3), [2, 3, 4]), arg(f32(2), [-1, -2])], { window: [1], stride: [1], padding: [[1, 0]] })).toEqual([3, 4]);
  });

  it('select_and_scatter_add: 2-D padded, overlapping 2x2 windows', () => {
    // x = [[1,2],[3,4]], padded by 1 all round; 3x3 windows select
    // (0,0)->x00, (0,1)->x01, (0,2)->x01, (1,0)->x10, (1,1..2)->x11, (2,0)->x10, (2,1..2)->x11.
    // source 1..9: x00 = 1, x01 = 2+3, x10 = 4+7, x11 = 5+6+8+9.
    const r = evalOp('select_and_scatter_add', [arg(f32(3, 3), [1, 2, 3, 4, 5, 6, 7, 8, 9]), arg(f32(2, 2), [1, 2, 3, 4])], {
      window: [2, 2],
      stride: [1, 1],
      padding: [
        [1, 1],
        [1, 1],
      ],
    });
    expect(r.type.shape).toEqual([2, 2]);
    expect(Array.from(r.data)).toEqual([1, 5, 11, 28]);
  });

  it('select_and_scatter_add: non-overlapping max-pool gradient', () => {
    // 2x2 windows at stride 2 of [[1,5,2,0],[3,4,8,1],[0,2,6,7],[9,1,3,4]]: maxima 5, 8, 9, 7.
    const r = evalNums('select_and_scatter_add', [arg(f32(2, 2), [1, 2, 3, 4]), arg(f32(4, 4), [1, 5, 2, 0, 3, 4, 8, 1, 0, 2, 6, 7, 9, 1, 3, 4])], {
      window: [2, 2],
      stride: [2, 2],
      padding: [
        [0, 0],
        [0, 0],
      ],
    });
    expect(r).toEqual([0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 4, 3, 0, 0, 0]);
  });
});

describe('gather and scatter_add', () => {
  // [[1,2],[3,4],[5,6]]
  const table = arg(f32(3, 2), [1, 2, 3, 4, 5, 6]);

  it('gather: takes rows along axis 0; out-of-range indices clamp', () => {
    // indices 2, 0, -1 (-> 0), 7 (-> 2)
    const r = evalOp('gather', [table, arg(i32(4), [2, 0, -1, 7])], { axis: 0 });
    expect(r.type.shape).toEqual([4, 2]);
    expect(Array.from(r.data)).toEqual([5, 6, 1, 2, 1, 2, 5, 6]);
  });

  it('gather: along axis 1 with 2-D u32 indices', () => {
    // [[1,2,3],[4,5,6]], indices [[2],[0]] along axis 1 -> out[i,a,b] = t[i, idx[a,b]]
    const r = evalOp('gather', [arg(f32(2, 3), [1, 2, 3, 4, 5, 6]), arg(u32(2, 1), [2, 0])], { axis: 1 });
    expect(r.type.shape).toEqual([2, 2, 1]);
    expect(Array.from(r.data)).toEqual([3, 1, 6, 4]);
  });

  it('scatter_add: sums repeated indices; out-of-range indices are dropped', () => {
    // indices [0,2,5,-1,0] with updates [1,2,3,4,5]: slot 0 gets 1+5, slot 2 gets 2; 5 and -1 dropped
    expect(evalNums('scatter_add', [arg(f32(3), [0, 0, 0]), arg(i32(5), [0, 2, 5, -1, 0]), arg(f32(5), [1, 2, 3, 4, 5])], { axis: 0 })).toEqual([6, 0, 2]);
  });

  it('scatter_add: along axis 1 onto a nonzero operand', () => {
    // [[1,1,1],[1,1,1]] + updates [[10,20],[30,40]] both at column 2
    expect(evalNums('scatter_add', [arg(f32(2, 3), [1, 1, 1, 1, 1, 1]), arg(i32(2), [2, 2]), arg(f32(2, 2), [10, 20, 30, 40])], { axis: 1 })).toEqual([1, 1, 31, 1, 1, 71]);
  });

  it('scatter_add: i32 operand wraps', () => {
    expect(evalNums('scatter_add', [arg(i32(1), [2147483647]), arg(i32(1), [0]), arg(i32(1), [1])], { axis: 0 })).toEqual([-2147483648]);
  });

  it('gather, scatter_add: a gather followed by its scatter_add counts index uses', () => {
    const ones = arg(f32(4), [1, 1, 1, 1]);
    const idx = arg(i32(4), [1, 1, 3, 9]);
    expect(evalNums('gather', [arg(f32(4), [10, 11, 12, 13]), idx], { axis: 0 })).toEqual([11, 11, 13, 13]);
    expect(evalNums('scatter_add', [arg(f32(4), [0, 0, 0, 0]), idx, ones], { axis: 0 })).toEqual([0, 2, 0, 1]);
  });
});
