// Modules: LayerNorm (over the last dim, learned gain and bias) and BatchNorm (per last-dim
// feature, running statistics as non-trainable buffers updated in training mode).

import { KilnError, formatShape } from '@kiln/ir';
import { ones, zeros } from '../init.js';
import { batchNormApply } from '../layers/batch-norm.js';
import { layerNorm } from '../ops.js';
import type { Tensor } from '../tensor.js';
import { Parameter, buffer, type Variable } from '../variable.js';
import { expectLastDim, requireSize } from './checks.js';
import { Module } from './module.js';

export interface LayerNormModuleOptions {
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
  /** Learn a gain `weight` (ones) and `bias` (zeros) over the features (default true). */
  readonly affine?: boolean;
}

/** Layer normalisation over the last dim of x [..., features]: (x - mean) / sqrt(var + eps) · weight + bias. */
export class LayerNorm extends Module {
  /** Gain [features] (ones); absent with `affine: false`. */
  readonly weight: Parameter | undefined;
  /** Shift [features] (zeros); absent with `affine: false`. */
  readonly bias: Parameter | undefined;
  readonly eps: number;

  constructor(
    /** Size of the normalised (last) dim. */
    readonly features: number,
    opts: LayerNormModuleOptions = {},
  ) {
    super();
    requireSize('LayerNorm', 'features', features);
    const affine = opts.affine !== false;
    this.weight = affine ? new Parameter([features], ones(), { label: 'weight' }) : undefined;
    this.bias = affine ? new Parameter([features], zeros(), { label: 'bias' }) : undefined;
    this.eps = opts.eps ?? 1e-5;
  }

  forward(x: Tensor): Tensor {
    expectLastDim(x, 'LayerNorm', this.features);
    return x.trace.atCaller(() =>
      layerNorm(x, {
        eps: this.eps,
        ...(this.weight !== undefined ? { gain: this.weight } : {}),
        ...(this.bias !== undefined ? { bias: this.bias } : {}),
      }),
    );
  }
}

export interface BatchNormModuleOptions {
  /** Weight of the new batch statistic in the running averages (PyTorch's convention, default 0.1). */
  readonly momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  readonly eps?: number;
  /** Learn a per-feature scale `weight` (ones) and shift `bias` (zeros) (default true). */
  readonly affine?: boolean;
}

/**
 * Batch normalisation of x [batch, ..., features] per feature (the last dim: NHWC channels). In
 * training mode it normalises with the batch mean and biased variance and updates `runningMean`
 * and `runningVar` (running ← (1 - momentum) · running + momentum · batch, the variance unbiased);
 * in eval mode it normalises with the running statistics and updates nothing. k.jit compiles the
 * two modes as separate specializations.
 */
export class BatchNorm extends Module {
  /** Scale gamma [features] (ones); absent with `affine: false`. */
  readonly weight: Parameter | undefined;
  /** Shift beta [features] (zeros); absent with `affine: false`. */
  readonly bias: Parameter | undefined;
  /** Running mean [features] (zeros), a non-trainable buffer. */
  readonly runningMean: Variable;
  /** Running (unbiased) variance [features] (ones), a non-trainable buffer. */
  readonly runningVar: Variable;
  readonly momentum: number;
  readonly eps: number;

  constructor(
    /** Size of the last dim (features, or channels of NHWC images). */
    readonly features: number,
    opts: BatchNormModuleOptions = {},
  ) {
    super();
    requireSize('BatchNorm', 'features', features);
    this.momentum = opts.momentum ?? 0.1;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new KilnError({ op: 'BatchNorm', message: `new k.nn.BatchNorm: momentum must be in [0, 1], got ${this.momentum}` });
    this.eps = opts.eps ?? 1e-5;
    const affine = opts.affine !== false;
    this.weight = affine ? new Parameter([features], ones(), { label: 'weight' }) : undefined;
    this.bias = affine ? new Parameter([features], zeros(), { label: 'bias' }) : undefined;
    this.runningMean = buffer([features], zeros(), { label: 'runningMean' });
    this.runningVar = buffer([features], ones(), { label: 'runningVar' });
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 2 || x.shape[x.rank - 1] !== this.features)
      throw x.trace.error('BatchNorm', `BatchNorm expects input [batch, ..., ${this.features}], got ${formatShape(x.shape)}`, [x]);
    const training = this.training;
    return x.trace.atCaller(() =>
      batchNormApply(
        x,
        { gamma: this.weight, beta: this.bias, runMean: this.runningMean, runVar: this.runningVar },
        { training, momentum: this.momentum, eps: this.eps, op: 'BatchNorm' },
      ),
    );
  }
}
