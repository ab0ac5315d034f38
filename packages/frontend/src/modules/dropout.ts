// Modules: Dropout — inverted dropout in training mode (k.nn.dropout with a fresh key from the
// trace's RNG state each call), the identity in eval mode.

import { KilnError } from '@kiln/ir';
import { dropout } from '../nn.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

export class Dropout extends Module {
  constructor(
    /** Probability of zeroing each element, in [0, 1) (default 0.5, as PyTorch); kept ones are scaled by 1 / (1 - rate). */
    readonly rate = 0.5,
  ) {
    super();
    if (!(rate >= 0 && rate < 1)) throw new KilnError({ op: 'Dropout', message: `new k.nn.Dropout: rate must be in [0, 1), got ${rate}` });
  }

  forward(x: Tensor): Tensor {
    // rate 0 never reads the training flag, so it adds no train/eval specialization.
    if (this.rate === 0 || !this.training) return x;
    return x.trace.atCaller(() => dropout(x, this.rate));
  }
}
