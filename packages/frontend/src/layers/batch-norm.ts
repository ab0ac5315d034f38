// Layers: batch normalisation over every dim but the last (features / NHWC channels). Train mode
// normalises with the batch statistics and records new running statistics as state updates; eval
// mode (a separate trace sharing the parameter names) normalises with the running statistics.

import { add, mul, rsqrt, stopGradient, sub } from '../elementwise.js';
import { ones, zeros } from '../init.js';
import { mean, variance } from '../reduce.js';
import { layerScope } from '../params.js';
import type { Tensor } from '../tensor.js';
import { elementAt } from '@kiln/ir';

export interface BatchNormOptions {
  /** true: batch statistics and running-stat updates; false: running statistics (inference). */
  readonly training: boolean;
  /** Weight of the new batch statistic in the running average (PyTorch's convention, default 0.1). */
  readonly momentum?: number;
  readonly eps?: number;
  /** Learn a per-feature scale (gamma, ones) and shift (beta, zeros) (default true). */
  readonly affine?: boolean;
  /** Scope name (default batchnorm<k>). */
  readonly name?: string;
}

/** The tensors batch norm reads: optional scale/shift and the running statistics (state inputs, all [features]). */
export interface BatchNormParams {
  readonly gamma?: Tensor | undefined;
  readonly beta?: Tensor | undefined;
  readonly runMean: Tensor;
  readonly runVar: Tensor;
}

/** Options of `batchNormApply`; `op` names the caller in errors (batchNorm, BatchNorm). */
export interface BatchNormApplyOptions {
  readonly training: boolean;
  readonly momentum?: number;
  readonly eps?: number;
  readonly op?: string;
}

/**
 * The batch-norm math shared by k.layers.batchNorm and k.nn.BatchNorm. In training it normalises
 * with the batch statistics and assigns the running statistics' new values (they must be state
 * inputs of the trace); otherwise it normalises with the running statistics and assigns nothing.
 */
export function batchNormApply(x: Tensor, p: BatchNormParams, opts: BatchNormApplyOptions): Tensor {
  const ctx = x.trace;
  const op = opts.op ?? 'batchNorm';
  if (x.rank < 2) throw ctx.error(op, `needs [batch, ..., features], got rank ${x.rank}`, [x]);
  const features = elementAt(x.shape, x.rank - 1, 'batchNorm input shape (rank >= 2 checked above)');
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const count = x.size / Math.max(features, 1);
  const momentum = opts.momentum ?? 0.1;
  const eps = opts.eps ?? 1e-5;
  if (!(momentum >= 0 && momentum <= 1)) throw ctx.error(op, `momentum must be in [0, 1], got ${momentum}`, [x]);
  return ctx.atCaller(() => {
    let mu: Tensor;
    let v: Tensor;
    if (opts.training) {
      if (count < 2) throw ctx.error(op, 'training mode needs at least 2 values per feature', [x]);
      mu = mean(x, axes);
      v = variance(x, axes);
      const keep = 1 - momentum;
      ctx.assign(p.runMean, add(mul(p.runMean, keep), mul(stopGradient(mu), momentum)));
      ctx.assign(p.runVar, add(mul(p.runVar, keep), mul(stopGradient(v), (momentum * count) / (count - 1))));
    } else {
      mu = p.runMean;
      v = p.runVar;
    }
    const y = mul(sub(x, mu), rsqrt(add(v, eps)));
    return p.gamma !== undefined && p.beta !== undefined ? add(mul(y, p.gamma), p.beta) : y;
  });
}

/**
 * y = (x - μ) / sqrt(σ² + eps) · gamma + beta with μ, σ² per feature. In training, σ² is the
 * biased batch variance; the running variance is updated with the unbiased one (n / (n - 1)):
 * running ← (1 - momentum) · running + momentum · batch. State: `<scope>.running_mean` (zeros),
 * `<scope>.running_var` (ones), both non-trainable.
 */
export function batchNorm(x: Tensor, opts: BatchNormOptions): Tensor {
  const ctx = x.trace;
  if (x.rank < 2) throw ctx.error('batchNorm', `needs [batch, ..., features], got rank ${x.rank}`, [x]);
  const features = elementAt(x.shape, x.rank - 1, 'batchNorm input shape (rank >= 2 checked above)');
  return layerScope(ctx, 'batchnorm', opts.name, () => {
    const affine = opts.affine !== false;
    const gamma = affine ? ctx.createState('gamma', { dtype: 'f32', shape: [features] }, ones()) : undefined;
    const beta = affine ? ctx.createState('beta', { dtype: 'f32', shape: [features] }, zeros()) : undefined;
    const runMean = ctx.createState('running_mean', { dtype: 'f32', shape: [features] }, zeros(), { trainable: false });
    const runVar = ctx.createState('running_var', { dtype: 'f32', shape: [features] }, ones(), { trainable: false });
    return batchNormApply(x, { gamma, beta, runMean, runVar }, opts);
  });
}
