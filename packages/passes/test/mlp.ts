// A 2-layer MLP training step written out by hand with the IR builder: forward (matmul, bias,
// relu, matmul, bias), mean squared error, backward, and an SGD update of all four parameters.

import { GraphBuilder, type Graph, type ValueId } from '@kiln/ir';

export interface MlpSizes {
  readonly batch: number;
  readonly input: number;
  readonly hidden: number;
  readonly output: number;
}

export function mlpTrainingStep(s: MlpSizes = { batch: 8, input: 5, hidden: 6, output: 3 }): Graph {
  const { batch: B, input: I, hidden: H, output: O } = s;
  const f = (...shape: number[]) => ({ dtype: 'f32' as const, shape });
  const b = new GraphBuilder('mlp_step');
  const x = b.input('x', f(B, I));
  const y = b.input('y', f(B, O));
  const w1 = b.input('w1', f(I, H), { state: true });
  const b1 = b.input('b1', f(H), { state: true });
  const w2 = b.input('w2', f(H, O), { state: true });
  const b2 = b.input('b2', f(O), { state: true });
  const c = (value: number, ...shape: number[]): ValueId => b.add('constant', [], { value }, { type: f(...shape) });
  // Forward.
  const mm1 = b.add('matmul', [x, w1], {});
  const z1 = b.add('add', [mm1, b.add('broadcast', [b1], { dims: [1], shape: [B, H] })], {});
  const zeroH = c(0, B, H);
  const h = b.add('max', [z1, zeroH], {});
  const mm2 = b.add('matmul', [h, w2], {});
  const out = b.add('add', [mm2, b.add('broadcast', [b2], { dims: [1], shape: [B, O] })], {});
  const diff = b.add('sub', [out, y], {});
  const sum = b.add('reduce_sum', [b.add('mul', [diff, diff], {})], { axes: [0, 1] });
  const loss = b.add('mul', [sum, c(1 / (B * O))], {}, { name: 'loss' });
  // Backward.
  const dout = b.add('mul', [diff, c(2 / (B * O), B, O)], {});
  const dw2 = b.add('matmul', [b.add('transpose', [h], { perm: [1, 0] }), dout], {});
  const db2 = b.add('reduce_sum', [dout], { axes: [0] });
  const dh = b.add('matmul', [dout, b.add('transpose', [w2], { perm: [1, 0] })], {});
  const mask = b.add('gt', [z1, zeroH], {});
  const dz1 = b.add('select', [mask, dh, c(0, B, H)], {});
  const dw1 = b.add('matmul', [b.add('transpose', [x], { perm: [1, 0] }), dz1], {});
  const db1 = b.add('reduce_sum', [dz1], { axes: [0] });
  // SGD.
  const sgd = (p: ValueId, g: ValueId, shape: number[]): ValueId => b.add('sub', [p, b.add('mul', [g, c(0.1, ...shape)], {})], {});
  b.output(loss, 'loss');
  b.output(sgd(w1, dw1, [I, H]), 'w1', true);
  b.output(sgd(b1, db1, [H]), 'b1', true);
  b.output(sgd(w2, dw2, [H, O]), 'w2', true);
  b.output(sgd(b2, db2, [O]), 'b2', true);
  return b.build();
}
