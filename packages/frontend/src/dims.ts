// Frontend: reading one dim of a user's tensor. A tensor of too low a rank is the user's mistake,
// reported as a KilnError at their line naming the op, never read as a silent 0 or 1 size.

import { formatShape } from '@kiln/ir';
import type { Tensor } from './tensor.js';

/** Size of dim `axis` (negative counts from the end) of `x`, or a user error from `op` when x has no such dim. */
export function dimOf(x: Tensor, axis: number, op: string): number {
  const size = x.shape[axis < 0 ? x.rank + axis : axis];
  if (size === undefined) throw x.trace.error(op, `${op} needs a dim ${axis} of its input, got ${formatShape(x.shape)} (rank ${x.rank})`, [x]);
  return size;
}

/** Size of the last dim of `x` (features, model width), or a user error from `op` for a scalar. */
export function lastDim(x: Tensor, op: string): number {
  return dimOf(x, -1, op);
}
