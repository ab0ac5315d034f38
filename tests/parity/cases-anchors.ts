// Parity cases for the anchor ops: reductions and argmax/argmin, matmul (batched, integer),
// conv (padding, stride, both dilations, groups, 1-D and 3-D), pooling and its gradient,
// gather (clamped indices) and scatter_add (duplicates, dropped out-of-range indices).

import { arg, floats, opCase, sampled } from './case-builder.js';
import { EXACT, f32, i32, u32, type Tolerance } from './helpers.js';

/** Sums and dot products: f32 accumulation order differs from the CPU's f64 accumulator. */
const SUM_TOL: Tolerance = { rtol: 1e-5, atol: 1e-5 };
/** Small integers as floats make ties and repeated maxima likely. */
const ties = (n: number, seed: number): number[] => sampled(i32(n), seed).data.map((x) => x % 4);

export const anchorCases = {
  reduce_sum: [
    opCase('reduce_sum', 'last_axis', [sampled(f32(6, 50), 1)], { axes: [1] }, SUM_TOL),
    opCase('reduce_sum', 'first_axis', [sampled(f32(40, 3), 2)], { axes: [0] }, SUM_TOL),
    opCase('reduce_sum', 'two_axes', [sampled(f32(3, 4, 5), 3)], { axes: [0, 2] }, SUM_TOL),
    opCase('reduce_sum', 'all_long', [sampled(f32(3000), 4)], { axes: [0] }, { rtol: 1e-4, atol: 1e-4 }),
    opCase('reduce_sum', 'i32_wrap', [arg(i32(3), [2147483647, 1, 5])], { axes: [0] }, EXACT),
    opCase('reduce_sum', 'u32_rows', [sampled(u32(4, 70), 5)], { axes: [1] }, EXACT),
  ],
  reduce_max: [
    opCase('reduce_max', 'f32', [sampled(f32(5, 33), 6)], { axes: [1] }, EXACT),
    opCase('reduce_max', 'i32_axis0', [sampled(i32(100, 3), 7)], { axes: [0] }, EXACT),
    opCase('reduce_max', 'empty', [arg(f32(0, 3), [])], { axes: [0] }, EXACT),
  ],
  reduce_min: [
    opCase('reduce_min', 'f32', [sampled(f32(5, 33), 8)], { axes: [0, 1] }, EXACT),
    opCase('reduce_min', 'u32', [sampled(u32(7, 9), 9)], { axes: [1] }, EXACT),
    opCase('reduce_min', 'empty_i32', [arg(i32(2, 0), [])], { axes: [1] }, EXACT),
  ],
  argmax: [
    opCase('argmax', 'ties_last_axis', [arg(f32(6, 20), ties(120, 10))], { axis: 1 }, EXACT),
    opCase('argmax', 'ties_long_axis0', [arg(f32(300, 2), ties(600, 11))], { axis: 0 }, EXACT),
    opCase('argmax', 'i32_middle', [sampled(i32(3, 7, 2), 12)], { axis: 1 }, EXACT),
  ],
  argmin: [opCase('argmin', 'ties', [arg(f32(4, 50), ties(200, 13))], { axis: 1 }, EXACT), opCase('argmin', 'u32', [sampled(u32(9, 4), 14)], { axis: 0 }, EXACT)],
  matmul: [
    opCase('matmul', 'small', [sampled(f32(5, 7), 15), sampled(f32(7, 3), 16)], {}, SUM_TOL),
    opCase('matmul', 'batched', [sampled(f32(2, 3, 40, 24), 17), sampled(f32(2, 3, 24, 36), 18)], {}, SUM_TOL),
    opCase('matmul', 'i32', [sampled(i32(6, 9), 19), sampled(i32(9, 5), 20)], {}, EXACT),
  ],
  conv: [
    opCase(
      'conv',
      '2d_same',
      [sampled(f32(2, 5, 5, 3), 21), sampled(f32(3, 3, 3, 4), 22)],
      {
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 1,
      },
      SUM_TOL,
    ),
    opCase(
      'conv',
      '2d_stride_rhs_dilation',
      [sampled(f32(1, 9, 8, 2), 23), sampled(f32(2, 3, 2, 3), 24)],
      {
        stride: [2, 1],
        padding: [
          [0, 1],
          [2, 0],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [2, 1],
        groups: 1,
      },
      SUM_TOL,
    ),
    opCase(
      'conv',
      '2d_groups',
      [sampled(f32(1, 4, 4, 4), 25), sampled(f32(2, 2, 2, 6), 26)],
      {
        stride: [1, 1],
        padding: [
          [0, 0],
          [0, 0],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 2,
      },
      SUM_TOL,
    ),
    opCase(
      'conv',
      '1d_lhs_dilation',
      [sampled(f32(2, 6, 3), 27), sampled(f32(3, 3, 5), 28)],
      { stride: [1], padding: [[2, 2]], lhs_dilation: [2], rhs_dilation: [1], groups: 1 },
      SUM_TOL,
    ),
    opCase(
      'conv',
      '3d',
      [sampled(f32(1, 3, 4, 3, 2), 29), sampled(f32(2, 2, 2, 2, 3), 30)],
      {
        stride: [1, 2, 1],
        padding: [
          [0, 0],
          [1, 0],
          [0, 1],
        ],
        lhs_dilation: [1, 1, 1],
        rhs_dilation: [1, 1, 1],
        groups: 1,
      },
      SUM_TOL,
    ),
  ],
  reduce_window: [
    opCase(
      'reduce_window',
      'maxpool_2x2',
      [sampled(f32(1, 4, 6, 2), 31)],
      {
        kind: 'max',
        window: [1, 2, 2, 1],
        stride: [1, 2, 2, 1],
        padding: [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      },
      EXACT,
    ),
    opCase(
      'reduce_window',
      'sum_padded',
      [sampled(f32(2, 5, 5, 1), 32)],
      {
        kind: 'sum',
        window: [1, 3, 3, 1],
        stride: [1, 2, 2, 1],
        padding: [
          [0, 0],
          [1, 1],
          [1, 1],
          [0, 0],
        ],
      },
      SUM_TOL,
    ),
    opCase('reduce_window', 'i32_max_1d', [sampled(i32(10), 33)], { kind: 'max', window: [3], stride: [2], padding: [[1, 2]] }, EXACT),
  ],
  select_and_scatter_add: [
    opCase(
      'select_and_scatter_add',
      'overlapping_ties',
      [sampled(f32(1, 3, 3, 1), 34), arg(f32(1, 6, 6, 1), ties(36, 35))],
      {
        window: [1, 3, 3, 1],
        stride: [1, 2, 2, 1],
        padding: [
          [0, 0],
          [1, 0],
          [1, 0],
          [0, 0],
        ],
      },
      SUM_TOL,
    ),
    opCase(
      'select_and_scatter_add',
      'maxpool_grad',
      [sampled(f32(2, 2, 3, 2), 36), sampled(f32(2, 4, 6, 2), 37)],
      {
        window: [1, 2, 2, 1],
        stride: [1, 2, 2, 1],
        padding: [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      },
      EXACT,
    ),
  ],
  gather: [
    opCase('gather', 'rows_clamped', [sampled(f32(5, 3), 38), arg(i32(6), [0, 4, 2, -3, 9, 1])], { axis: 0 }, EXACT),
    opCase('gather', 'axis1_2d_indices', [sampled(i32(2, 6, 3), 39), arg(u32(2, 2), [5, 0, 7, 3])], { axis: 1 }, EXACT),
  ],
  scatter_add: [
    opCase('scatter_add', 'f32_duplicates', [sampled(f32(5, 3), 40), arg(i32(7), [0, 2, 2, -1, 5, 4, 0]), floats(f32(7, 3), 41, -1, 1)], { axis: 0 }, SUM_TOL),
    opCase('scatter_add', 'i32_axis1', [sampled(i32(2, 4), 42), arg(u32(5), [3, 3, 0, 9, 1]), sampled(i32(2, 5), 43)], { axis: 1 }, EXACT),
    opCase(
      'scatter_add',
      'f32_embedding_grad',
      [
        arg(f32(20, 8), new Array<number>(160).fill(0)),
        arg(
          i32(64),
          sampled(i32(64), 44).data.map((x) => Math.abs(x) % 20),
        ),
        floats(f32(64, 8), 45, -1, 1),
      ],
      { axis: 0 },
      SUM_TOL,
    ),
  ],
};
