// Type rules of the trickier ops, with result shapes computed by hand (the arithmetic is written
// out in each case's comment) rather than by the registry's own helpers.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, windowedSize, type AttrsOf, type OpKind, type TensorType } from '../src/index.js';
import { catchKiln, f32, i32, u32 } from './helpers.js';

/** The result type the builder infers for `op` over fresh inputs of the given types. */
function infer<K extends OpKind>(op: K, operands: readonly TensorType[], attrs: AttrsOf<K>, type?: TensorType): TensorType {
  const b = new GraphBuilder('t');
  const ids = operands.map((t, i) => b.input(`in${i}`, t));
  return b.typeOf(b.add(op, ids, attrs, type !== undefined ? { type } : {}));
}

function inferError<K extends OpKind>(op: K, operands: readonly TensorType[], attrs: AttrsOf<K>, type?: TensorType): string {
  return catchKiln(() => infer(op, operands, attrs, type)).message;
}

const conv1 = { lhs_dilation: [1], rhs_dilation: [1], groups: 1 };
const conv2 = { lhs_dilation: [1, 1], rhs_dilation: [1, 1], groups: 1 };

describe('conv', () => {
  it('stride and symmetric padding: (7+1+1-3)/2+1 = 4', () => {
    expect(infer('conv', [f32(2, 7, 3), f32(3, 3, 4)], { ...conv1, stride: [2], padding: [[1, 1]] })).toEqual(f32(2, 4, 4));
  });
  it('kernel (rhs) dilation 2: window 3 spans 5, (7-5)/1+1 = 3', () => {
    expect(infer('conv', [f32(1, 7, 1), f32(3, 1, 1)], { ...conv1, rhs_dilation: [2], stride: [1], padding: [[0, 0]] })).toEqual(f32(1, 3, 1));
  });
  it('input (lhs) dilation 2 as in a transposed conv: 4 -> 7, (7+2+2-3)/1+1 = 9', () => {
    expect(infer('conv', [f32(1, 4, 1), f32(3, 1, 1)], { ...conv1, lhs_dilation: [2], stride: [1], padding: [[2, 2]] })).toEqual(f32(1, 9, 1));
  });
  it('2-D with per-dim stride, asymmetric padding and dilation', () => {
    // H: window (3-1)*2+1 = 5, (10+0+1-5)/3+1 = 3.  W: window (2-1)*3+1 = 4, (8+2+0-4)/2+1 = 4.
    const attrs = { stride: [3, 2], padding: [[0, 1] as const, [2, 0] as const], lhs_dilation: [1, 1], rhs_dilation: [2, 3], groups: 1 };
    expect(infer('conv', [f32(1, 10, 8, 2), f32(3, 2, 2, 5)], attrs)).toEqual(f32(1, 3, 4, 5));
  });
  it('groups: 6 input channels = 2 per group x 3 groups, 9 outputs', () => {
    expect(
      infer('conv', [f32(1, 5, 5, 6), f32(3, 3, 2, 9)], {
        ...conv2,
        groups: 3,
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
      }),
    ).toEqual(f32(1, 5, 5, 9));
  });
  it('depthwise: groups = channels, kernel in-channels 1', () => {
    expect(
      infer('conv', [f32(2, 4, 4, 8), f32(3, 3, 1, 8)], {
        ...conv2,
        groups: 8,
        stride: [1, 1],
        padding: [
          [0, 0],
          [0, 0],
        ],
      }),
    ).toEqual(f32(2, 2, 2, 8));
  });
  it('negative padding crops: 6-1-2 = 3 positions for a 1-wide window', () => {
    expect(infer('conv', [f32(1, 6, 1), f32(1, 1, 1)], { ...conv1, stride: [1], padding: [[-1, -2]] })).toEqual(f32(1, 3, 1));
  });
  it('a window larger than the input gives a 0-size dim', () => {
    expect(infer('conv', [f32(1, 2, 1), f32(3, 1, 1)], { ...conv1, stride: [1], padding: [[0, 0]] })).toEqual(f32(1, 0, 1));
  });
  it('3-D conv (rank 5)', () => {
    // D: (4-2)/2+1 = 2, H: (5-3)/1+1 = 3, W: (6+1+1-3)/1+1 = 6
    const attrs = { stride: [2, 1, 1], padding: [[0, 0] as const, [0, 0] as const, [1, 1] as const], lhs_dilation: [1, 1, 1], rhs_dilation: [1, 1, 1], groups: 1 };
    expect(infer('conv', [f32(1, 4, 5, 6, 2), f32(2, 3, 3, 2, 7)], attrs)).toEqual(f32(1, 2, 3, 6, 7));
  });
  it('rejects rank 2 and group mismatches', () => {
    expect(inferError('conv', [f32(4, 3), f32(3, 5)], { stride: [], padding: [], lhs_dilation: [], rhs_dilation: [], groups: 1 })).toContain('need equal rank >= 3');
    expect(inferError('conv', [f32(1, 4, 4), f32(1, 2, 3)], { ...conv1, groups: 2, stride: [1], padding: [[0, 0]] })).toContain('output channels 3 not divisible by groups 2');
    expect(inferError('conv', [f32(1, 4, 4), f32(1, 4, 4)], { ...conv1, groups: 0, stride: [1], padding: [[0, 0]] })).toContain('groups must be positive integers, got [0]');
  });
});

describe('reduce_window', () => {
  it('3x3 window, stride 2, padding 1: (5+2-3)/2+1 = 3', () => {
    const attrs = {
      kind: 'max' as const,
      window: [1, 3, 3, 1],
      stride: [1, 2, 2, 1],
      padding: [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ] as [number, number][],
    };
    expect(infer('reduce_window', [f32(1, 5, 5, 1)], attrs)).toEqual(f32(1, 3, 3, 1));
  });
  it('floors a partial last window: 2x2 stride 2 on 5 gives (5-2)/2+1 = 2', () => {
    expect(
      infer('reduce_window', [i32(5, 5)], {
        kind: 'sum',
        window: [2, 2],
        stride: [2, 2],
        padding: [
          [0, 0],
          [0, 0],
        ],
      }),
    ).toEqual(i32(2, 2));
  });
  it('sliding sum of 3 over 7 gives 5; padding of an empty dim still yields windows', () => {
    expect(infer('reduce_window', [f32(7)], { kind: 'sum', window: [3], stride: [1], padding: [[0, 0]] })).toEqual(f32(5));
    expect(infer('reduce_window', [f32(0)], { kind: 'sum', window: [1], stride: [1], padding: [[1, 1]] })).toEqual(f32(2));
  });
  it('select_and_scatter_add returns the operand type', () => {
    const attrs = { window: [2], stride: [2], padding: [[0, 0]] as [number, number][] };
    expect(infer('select_and_scatter_add', [f32(3), f32(6)], attrs)).toEqual(f32(6));
    expect(inferError('select_and_scatter_add', [f32(2), f32(6)], attrs)).toContain('must be f32[3], the pooled shape of f32[6]');
  });
  it('rejects a zero window or stride', () => {
    expect(inferError('reduce_window', [f32(4)], { kind: 'max', window: [0], stride: [1], padding: [[0, 0]] })).toContain('window must be positive integers');
    expect(inferError('reduce_window', [f32(4)], { kind: 'max', window: [1], stride: [0], padding: [[0, 0]] })).toContain('stride must be positive integers');
  });
});

describe('windowedSize', () => {
  it('matches hand-computed sweeps', () => {
    expect(windowedSize(5, 1, 1, 3, 2)).toBe(3);
    expect(windowedSize(10, 0, 0, 3, 3)).toBe(3); // positions 0, 3, 6 (9 would overrun)
    expect(windowedSize(2, 0, 0, 3, 1)).toBe(0);
    expect(windowedSize(3, 0, 0, 3, 5)).toBe(1);
  });
});

describe('slice', () => {
  it('strided: [1:8:3] of 10 takes 1,4,7', () => {
    expect(infer('slice', [f32(10)], { start: [1], limit: [8], stride: [3] })).toEqual(f32(3));
  });
  it('strided: [0:10:4] takes 0,4,8; [0:9:4] takes 0,4,8; [0:8:4] takes 0,4', () => {
    expect(infer('slice', [f32(10)], { start: [0], limit: [10], stride: [4] })).toEqual(f32(3));
    expect(infer('slice', [f32(10)], { start: [0], limit: [9], stride: [4] })).toEqual(f32(3));
    expect(infer('slice', [f32(10)], { start: [0], limit: [8], stride: [4] })).toEqual(f32(2));
  });
  it('empty slices and full dims', () => {
    expect(infer('slice', [f32(4, 6)], { start: [2, 0], limit: [2, 6], stride: [1, 5] })).toEqual(f32(0, 2));
    expect(infer('slice', [f32(0)], { start: [0], limit: [0], stride: [1] })).toEqual(f32(0));
  });
  it('rejects out-of-range bounds and wrong lengths', () => {
    expect(inferError('slice', [f32(4)], { start: [-1], limit: [2], stride: [1] })).toContain('slice [-1:2] out of range for dim 0 of f32[4]');
    expect(inferError('slice', [f32(4, 4)], { start: [0], limit: [2], stride: [1] })).toContain('start must have 2 entries');
  });
});

describe('pad', () => {
  it('interior: 3 elements with 2 between each -> 3+2*2 = 7, then -1 low +2 high -> 8', () => {
    expect(infer('pad', [f32(3)], { low: [-1], high: [2], interior: [2], value: 0 })).toEqual(f32(8));
  });
  it('interior padding of a 0- or 1-element dim adds nothing', () => {
    expect(infer('pad', [f32(0, 1)], { low: [1, 0], high: [2, 0], interior: [3, 5], value: 0 })).toEqual(f32(3, 1));
  });
  it('negative padding may crop to exactly zero but not below', () => {
    expect(infer('pad', [i32(2)], { low: [-1], high: [-1], interior: [0], value: 0 })).toEqual(i32(0));
    expect(inferError('pad', [i32(2)], { low: [-2], high: [-1], interior: [0], value: 0 })).toContain('negative padding crops dim 0 of i32[2] below zero');
  });
  it('rank-2 mixed padding', () => {
    // dim 0: 2 + 1*1 interior = 3, +1 +0 = 4.  dim 1: 3 - 1 + 2 = 4.
    expect(infer('pad', [f32(2, 3)], { low: [1, -1], high: [0, 2], interior: [1, 0], value: 0.5 })).toEqual(f32(4, 4));
  });
});

describe('broadcast', () => {
  it('maps operand dims to result dims and repeats the others', () => {
    expect(infer('broadcast', [f32(3)], { dims: [1], shape: [2, 3] })).toEqual(f32(2, 3));
    expect(infer('broadcast', [f32()], { dims: [], shape: [2, 2] })).toEqual(f32(2, 2));
  });
  it('expands size-1 operand dims', () => {
    expect(infer('broadcast', [f32(1, 3)], { dims: [0, 2], shape: [4, 5, 3] })).toEqual(f32(4, 5, 3));
    expect(infer('broadcast', [u32(1, 1)], { dims: [0, 1], shape: [6, 7] })).toEqual(u32(6, 7));
    expect(infer('broadcast', [f32(1)], { dims: [0], shape: [0] })).toEqual(f32(0));
  });
  it('rejects a non-1 size mismatch, unordered dims and out-of-range dims', () => {
    expect(inferError('broadcast', [f32(2)], { dims: [0], shape: [4] })).toContain('operand dim 0 (size 2) cannot broadcast to result dim 0 (size 4) of [4]');
    expect(inferError('broadcast', [f32(2, 2)], { dims: [1, 0], shape: [2, 2] })).toContain('must be strictly increasing');
    expect(inferError('broadcast', [f32(2)], { dims: [1], shape: [2] })).toContain('dims entry 1 out of range for rank 1');
    expect(inferError('broadcast', [f32(2, 2)], { dims: [0], shape: [2, 2] })).toContain('dims must have 2 entries');
  });
});

describe('gather and scatter_add', () => {
  it('gather replaces the axis by the index shape', () => {
    expect(infer('gather', [f32(5, 3, 2), i32(4)], { axis: 1 })).toEqual(f32(5, 4, 2));
    expect(infer('gather', [f32(5, 3, 2), u32(2, 2)], { axis: 2 })).toEqual(f32(5, 3, 2, 2));
    expect(infer('gather', [i32(5, 3), i32()], { axis: 0 })).toEqual(i32(3));
    expect(infer('gather', [f32(5), i32(0)], { axis: 0 })).toEqual(f32(0));
  });
  it('scatter_add takes updates shaped like the matching gather and returns the operand type', () => {
    expect(infer('scatter_add', [f32(5, 3), i32(2, 2), f32(2, 2, 3)], { axis: 0 })).toEqual(f32(5, 3));
    expect(infer('scatter_add', [i32(5, 3), i32(4), i32(5, 4)], { axis: 1 })).toEqual(i32(5, 3));
    expect(inferError('scatter_add', [f32(5, 3), i32(4), f32(4, 3)], { axis: 1 })).toContain('updates f32[4,3] must be f32[5,4] for operand f32[5,3] and indices i32[4]');
    expect(inferError('scatter_add', [f32(5, 3), i32(4), i32(4, 3)], { axis: 0 })).toContain('updates i32[4,3] must be f32[4,3]');
  });
});

describe('matmul', () => {
  it('2-D, batched and 0-size contraction', () => {
    expect(infer('matmul', [f32(3, 4), f32(4, 5)], {})).toEqual(f32(3, 5));
    expect(infer('matmul', [f32(2, 7, 3, 4), f32(2, 7, 4, 6)], {})).toEqual(f32(2, 7, 3, 6));
    expect(infer('matmul', [i32(3, 0), i32(0, 5)], {})).toEqual(i32(3, 5));
  });
  it('rejects broadcasting of batch dims and rank mismatches', () => {
    expect(inferError('matmul', [f32(1, 3, 4), f32(2, 4, 5)], {})).toContain('batch dims differ');
    expect(inferError('matmul', [f32(3, 4), f32(2, 4, 5)], {})).toContain('operands must have equal rank >= 2');
    expect(inferError('matmul', [f32(3, 4), f32(5, 3)], {})).toContain('contracting dims differ: f32[3,4] @ f32[5,3] (4 vs 5)');
  });
});

describe('concat', () => {
  it('sums the axis and keeps the rest, including 0-size pieces', () => {
    expect(infer('concat', [f32(2, 3), f32(0, 3), f32(5, 3)], { axis: 0 })).toEqual(f32(7, 3));
    expect(infer('concat', [f32(2, 1), f32(2, 4)], { axis: 1 })).toEqual(f32(2, 5));
    expect(infer('concat', [i32(3)], { axis: 0 })).toEqual(i32(3));
  });
  it('rejects rank and non-axis size mismatches', () => {
    expect(inferError('concat', [f32(2, 3), f32(2, 3, 1)], { axis: 0 })).toContain('operand #1 f32[2,3,1] does not match f32[2,3] outside axis 0');
    expect(inferError('concat', [f32(2, 3), f32(3, 3)], { axis: 1 })).toContain('operand #1 f32[3,3] does not match f32[2,3] outside axis 1');
  });
});

describe('0-size dims and reductions', () => {
  it('reshape, transpose and reductions of empty tensors', () => {
    expect(infer('reshape', [f32(0, 3)], { shape: [3, 0, 5] })).toEqual(f32(3, 0, 5));
    expect(inferError('reshape', [f32(0, 3)], { shape: [3] })).toContain('cannot reshape f32[0,3] (0 elements) to [3] (3 elements)');
    expect(infer('transpose', [f32(0, 2)], { perm: [1, 0] })).toEqual(f32(2, 0));
    expect(infer('reduce_sum', [f32(0, 3)], { axes: [0] })).toEqual(f32(3));
    expect(infer('reduce_max', [f32(4, 0)], { axes: [] })).toEqual(f32(4, 0));
    expect(infer('argmax', [f32(0, 3)], { axis: 1 })).toEqual(i32(0));
  });
  it('reduces several axes and all axes to a scalar', () => {
    expect(infer('reduce_sum', [f32(2, 3, 4, 5)], { axes: [1, 3] })).toEqual(f32(2, 4));
    expect(infer('reduce_min', [u32(2, 3)], { axes: [0, 1] })).toEqual(u32());
    expect(infer('argmin', [f32(2, 3, 4)], { axis: 1 })).toEqual(i32(2, 4));
  });
});

describe('source ops take the annotated type', () => {
  it('constant, iota, random_bits', () => {
    expect(infer('constant', [], { value: [1, 2, 3, 4, 5, 6] }, i32(2, 3))).toEqual(i32(2, 3));
    expect(infer('constant', [], { value: [] }, f32(0))).toEqual(f32(0));
    expect(infer('iota', [], { dim: 1 }, u32(2, 3))).toEqual(u32(2, 3));
    expect(infer('random_bits', [u32(2)], {}, f32(4, 4))).toEqual(f32(4, 4));
    expect(inferError('constant', [], { value: [1, 2] }, f32(3))).toContain('value has 2 elements but f32[3] needs 3');
    expect(inferError('iota', [], { dim: 0 }, { dtype: 'f32', shape: [-1] })).toContain('result shape must be non-negative integers, got [-1]');
  });
});
