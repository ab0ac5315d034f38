// Sample kernels for codegen tests, one per template (and variant), built with the IR builder.

import { GraphBuilder, type Graph, type TensorType } from '@kiln/ir';

export const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
export const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });

export function kernel(name: string, inputs: readonly TensorType[], body: (kb: GraphBuilder, xs: number[]) => number): Graph {
  const kb = new GraphBuilder(name, 'kernel');
  const xs = inputs.map((t, i) => kb.input(`x${i}`, t));
  kb.output(body(kb, xs), 'out');
  return kb.build();
}

export const sampleKernels: Readonly<Record<string, Graph>> = {
  elementwise_pool_unused: kernel('k_ew', [f32(5, 8), f32(3)], (kb, [a]) =>
    kb.add('add', [a!, kb.add('constant', [], { value: Array.from({ length: 40 }, (_, i) => i / 7) }, { type: f32(5, 8) })], {}),
  ),
  reduction: kernel('k_red', [f32(6, 300)], (kb, [a]) => kb.add('reduce_sum', [kb.add('exp', [a!], {})], { axes: [1] })),
  argmax: kernel('k_arg', [f32(4, 500)], (kb, [a]) => kb.add('argmax', [a!], { axis: 1 })),
  row: kernel('k_row', [f32(3, 20)], (kb, [a]) => {
    const m = kb.add('reduce_max', [a!], { axes: [1] });
    return kb.add('sub', [a!, kb.add('broadcast', [m], { dims: [0], shape: [3, 20] })], {});
  }),
  matmul_tiled: kernel('k_mm', [f32(128, 64), f32(64, 128)], (kb, [a, b]) => kb.add('matmul', [a!, b!], {})),
  matmul_simple: kernel('k_mm_small', [f32(3, 5), f32(5, 2)], (kb, [a, b]) => kb.add('matmul', [a!, b!], {})),
  conv: kernel('k_conv', [f32(1, 8, 8, 4), f32(3, 3, 4, 8)], (kb, [x, w]) =>
    kb.add('conv', [x!, w!], {
      stride: [1, 1],
      padding: [
        [1, 1],
        [1, 1],
      ],
      lhs_dilation: [1, 1],
      rhs_dilation: [1, 1],
      groups: 1,
    }),
  ),
  pool: kernel('k_pool', [f32(1, 4, 4, 2)], (kb, [x]) =>
    kb.add('reduce_window', [x!], {
      kind: 'max',
      window: [1, 2, 2, 1],
      stride: [1, 2, 2, 1],
      padding: [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    }),
  ),
  pool_grad: kernel('k_pool_grad', [f32(1, 2, 2, 2), f32(1, 4, 4, 2)], (kb, [s, x]) =>
    kb.add('select_and_scatter_add', [s!, x!], {
      window: [1, 2, 2, 1],
      stride: [1, 2, 2, 1],
      padding: [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    }),
  ),
  gather: kernel('k_gather', [f32(10, 4), i32(6)], (kb, [t, i]) => kb.add('gather', [t!, i!], { axis: 0 })),
  scatter: kernel('k_scatter', [f32(10, 4), i32(6), f32(6, 4)], (kb, [t, i, u]) => kb.add('scatter_add', [t!, i!, u!], { axis: 0 })),
};
