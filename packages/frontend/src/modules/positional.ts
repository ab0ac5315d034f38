// Modules: SinusoidalPositionalEncoding — adds the fixed sin/cos table of k.layers (Vaswani et al.)
// for the input's length to x [B, T, dim]; no parameters.

import { add } from '../elementwise.js';
import { sinusoidalPositionalEncoding } from '../layers/positional.js';
import type { Tensor } from '../tensor.js';
import { expectShape, requireSize } from './checks.js';
import { Module } from './module.js';
import { elementAt } from '@kiln/ir';

/** x + PE[T, dim] for x [B, T, dim], PE[pos, 2i] = sin(pos / base^(2i/dim)), PE[pos, 2i+1] = cos(…). */
export class SinusoidalPositionalEncoding extends Module {
  constructor(
    /** Model width (the last dim of x). */
    readonly dim: number,
    /** Wavelength base (default 10000). */
    readonly base = 10000,
  ) {
    super();
    requireSize('SinusoidalPositionalEncoding', 'dim', dim);
  }

  forward(x: Tensor): Tensor {
    expectShape(x, 'SinusoidalPositionalEncoding', ['B', 'T', this.dim]);
    return x.trace.atCaller(() => add(x, sinusoidalPositionalEncoding(elementAt(x.shape, 1, 'positional encoding input shape (checked [B, T, dim])'), this.dim, this.base)));
  }
}
