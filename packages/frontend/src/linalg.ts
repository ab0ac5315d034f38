// Frontend: matmul with NumPy semantics (1-D operands promoted and the added dim dropped, batch
// dims broadcast). A batched lhs against a 2-D rhs folds the batch into rows: one large GEMM.

import { elementAt, formatShape, numel } from '@kiln/ir';
import { broadcastShapes, broadcastTo } from './broadcast.js';
import { reshape } from './layout.js';
import type { Tensor } from './tensor.js';

export function matmul(a: Tensor, b: Tensor): Tensor {
  const ctx = a.trace;
  ctx.checkOwn('matmul', b);
  if (a.rank === 0 || b.rank === 0) throw ctx.error('matmul', 'operands must have rank >= 1 (use mul for scalars)', [a, b]);
  if (a.dtype !== b.dtype) throw ctx.error('matmul', 'operand dtypes differ (use .cast())', [a, b]);
  const k = elementAt(a.shape, a.rank - 1, 'lhs shape');
  const kb = elementAt(b.shape, b.rank === 1 ? 0 : b.rank - 2, 'rhs shape');
  if (k !== kb) throw ctx.error('matmul', `contracting dims differ: ${formatShape(a.shape)} @ ${formatShape(b.shape)} (${k} vs ${kb})`, [a, b]);
  const a2 = a.rank === 1 ? reshape(a, [1, k]) : a;
  const b2 = b.rank === 1 ? reshape(b, [k, 1]) : b;
  const m = elementAt(a2.shape, a2.rank - 2, 'lhs shape');
  const n = elementAt(b2.shape, b2.rank - 1, 'rhs shape');
  let out: Tensor;
  let batch: readonly number[];
  if (b2.rank === 2) {
    batch = a2.shape.slice(0, -2);
    const rows = a2.rank === 2 ? a2 : reshape(a2, [numel(batch) * m, k]);
    out = reshape(ctx.emit('matmul', [rows, b2], {}), [...batch, m, n]);
  } else {
    batch = broadcastShapes(ctx, 'matmul', [a2.shape.slice(0, -2), b2.shape.slice(0, -2)], [a, b]);
    out = ctx.emit('matmul', [broadcastTo(a2, [...batch, m, k], 'matmul'), broadcastTo(b2, [...batch, k, n], 'matmul')], {});
  }
  const shape = [...batch, ...(a.rank === 1 ? [] : [m]), ...(b.rank === 1 ? [] : [n])];
  return reshape(out, shape);
}
