// Modules: Linear — y = x·W + b with W [in, out] (Glorot uniform, the Keras/JAX layout, so the
// GEMM reads it untransposed) and b [out] (zeros); x is [..., in].

import { formatShape } from '@kiln/ir';
import { add } from '../elementwise.js';
import { glorotUniform, zeros, type Initializer } from '../init.js';
import { matmul } from '../linalg.js';
import type { Tensor } from '../tensor.js';
import { Parameter } from '../variable.js';
import { Module } from './module.js';

export interface LinearModuleOptions {
  /** Learn a bias (default true). */
  readonly bias?: boolean;
  readonly weightInit?: Initializer;
  readonly biasInit?: Initializer;
}

export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | undefined;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: LinearModuleOptions = {},
  ) {
    super();
    this.weight = new Parameter([inFeatures, outFeatures], opts.weightInit ?? glorotUniform(), { label: 'weight' });
    this.bias = opts.bias === false ? undefined : new Parameter([outFeatures], opts.biasInit ?? zeros(), { label: 'bias' });
  }

  forward(x: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.inFeatures) throw x.trace.error('Linear', `expects ${this.inFeatures} features in the last dim, the input is ${formatShape(x.shape)}`, [x]);
    return x.trace.atCaller(() => {
      const y = matmul(x, this.weight);
      return this.bias === undefined ? y : add(y, this.bias);
    });
  }
}
