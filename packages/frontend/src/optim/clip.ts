// Optimizers: gradient clipping by global norm, in the graph. The optimizer applies it to the raw
// gradients before weight decay and the update rule; usable on its own as well.

import { KilnError } from '@kiln/ir';
import { add, div, maximum, mul, sqrt } from '../elementwise.js';
import { sum } from '../reduce.js';
import type { Tensor } from '../tensor.js';

/** sqrt(Σ over all tensors of Σ g²): the L2 norm of the gradients seen as one vector (f32 scalar). */
export function globalNorm(grads: readonly Tensor[]): Tensor {
  const first = grads[0];
  if (first === undefined) throw new KilnError({ message: 'globalNorm needs at least one tensor' });
  return first.trace.atCaller(() => {
    let total = sum(mul(first, first));
    for (const g of grads.slice(1)) total = add(total, sum(mul(g, g)));
    return sqrt(total);
  });
}

export interface Clipped {
  readonly grads: Tensor[];
  /** The global norm before clipping. */
  readonly norm: Tensor;
}

/**
 * Scales every gradient by maxNorm / max(norm, maxNorm): unchanged when the global norm is within
 * maxNorm, else rescaled so the global norm equals maxNorm (directions are kept).
 */
export function clipByGlobalNorm(grads: readonly Tensor[], maxNorm: number): Clipped {
  if (!(maxNorm > 0)) throw new KilnError({ message: `clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}` });
  const norm = globalNorm(grads);
  return norm.trace.atCaller(() => {
    const scale = div(maxNorm, maximum(norm, maxNorm));
    return { grads: grads.map((g) => mul(g, scale)), norm };
  });
}
