// Modules: argument and input checks shared by the layer classes. Input errors come from the trace
// (KilnError with the user's line) and name the layer, the shape it expects and the shape it got.

import { KilnError, formatShape } from '@kiln/ir';
import type { Tensor } from '../tensor.js';

/** `expected` lists each dim: a number must match exactly, a string is any size (shown as is). */
export function expectShape(x: Tensor, layer: string, expected: readonly (number | string)[], what = 'input'): void {
  const ok = x.rank === expected.length && expected.every((e, i) => typeof e === 'string' || x.shape[i] === e);
  if (!ok) throw x.trace.error(layer, `${layer} expects ${what} [${expected.join(', ')}], got ${formatShape(x.shape)}`, [x]);
}

/** Input [..., n]: the last dim must be `n` (`what` it counts: features, channels). */
export function expectLastDim(x: Tensor, layer: string, n: number, what = 'features'): void {
  if (x.rank < 1 || x.shape[x.rank - 1] !== n) throw x.trace.error(layer, `${layer} expects input [..., ${n}] (${n} ${what} in the last dim), got ${formatShape(x.shape)}`, [x]);
}

/** A positive integer size given to a layer's constructor (no trace yet, so a plain KilnError). */
export function requireSize(layer: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new KilnError({ op: layer, message: `new k.nn.${layer}: ${what} must be a positive integer, got ${n}` });
}
