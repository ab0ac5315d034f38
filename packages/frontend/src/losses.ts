// Frontend: loss composites, all numerically stable from logits. Each returns per-example (or
// per-element) losses by default; `reduction: 'mean' | 'sum'` reduces to a scalar.

/**
 * Losses, numerically stable from logits; per example by default, `{ reduction: 'mean' | 'sum' }` for a scalar.
 * @module
 */

import { formatShape, shapesEqual } from '@kiln/ir';
import { abs, add, eq, exp, gt, log, log1p, maximum, mul, neg, square, sub, where } from './elementwise.js';
import type { TensorLike } from './broadcast.js';
import { expandDims } from './layout.js';
import { logSoftmax } from './activations.js';
import { logsumexp, mean, sum } from './reduce.js';
import type { Tensor } from './tensor.js';

export type Reduction = 'none' | 'mean' | 'sum';

export interface LossOptions {
  readonly reduction?: Reduction;
}

function reduce(x: Tensor, r: Reduction | undefined): Tensor {
  return r === 'mean' ? mean(x) : r === 'sum' ? sum(x) : x;
}

/** (pred - target)², per element. */
export function mse(pred: Tensor, target: TensorLike, opts: LossOptions = {}): Tensor {
  return pred.trace.atCaller(() => reduce(square(sub(pred, target)), opts.reduction));
}

/**
 * Cross-entropy of softmax(logits) along the last axis: logsumexp(logits) - logits[label] for
 * integer labels [...] (logits [..., C]), or -sum(p · logSoftmax(logits)) for f32 probabilities
 * shaped like the logits. Per example.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: Tensor, opts: LossOptions = {}): Tensor {
  const ctx = logits.trace;
  ctx.checkOwn('softmaxCrossEntropy', labels);
  if (logits.rank < 1) throw ctx.error('softmaxCrossEntropy', 'logits need a class axis', [logits, labels]);
  return ctx.atCaller(() => {
    if (labels.dtype === 'f32') {
      if (!shapesEqual(labels.shape, logits.shape))
        throw ctx.error(
          'softmaxCrossEntropy',
          shapesEqual(labels.shape, logits.shape.slice(0, -1))
            ? `f32 labels were given where class ids are expected: pass integer labels as i32 (k.tensor(labels, ${formatShape(labels.shape)}, 'i32'))`
            : `probability labels must have the logits' shape ${formatShape(logits.shape)}`,
          [logits, labels],
        );
      return reduce(neg(sum(mul(labels, logSoftmax(logits, -1)), -1)), opts.reduction);
    }
    if (labels.dtype !== 'i32' && labels.dtype !== 'u32')
      throw ctx.error(
        'softmaxCrossEntropy',
        `labels must be integer class ids (i32 ${formatShape(logits.shape.slice(0, -1))}, e.g. k.tensor(labels, shape, 'i32')) or f32 probabilities shaped like the logits`,
        [logits, labels],
      );
    if (!shapesEqual(labels.shape, logits.shape.slice(0, -1)))
      throw ctx.error('softmaxCrossEntropy', `integer labels must have shape ${formatShape(logits.shape.slice(0, -1))} (the logits without the class axis)`, [logits, labels]);
    ctx.requireIndexRange(labels, logits.shape[logits.rank - 1]!, 'softmaxCrossEntropy', 'label');
    const positions = ctx.emit('iota', [], { dim: logits.rank - 1 }, { dtype: labels.dtype, shape: [...logits.shape] });
    const isLabel = eq(expandDims(labels, -1), positions);
    const picked = sum(where(isLabel, logits, 0), -1);
    return reduce(sub(logsumexp(logits, -1), picked), opts.reduction);
  });
}

/** Sigmoid cross-entropy from logits, per element: max(x,0) - x·z + log1p(e^-|x|). */
export function binaryCrossEntropyWithLogits(logits: Tensor, targets: TensorLike, opts: LossOptions = {}): Tensor {
  return logits.trace.atCaller(() => {
    const l = add(sub(maximum(logits, 0), mul(logits, targets)), log1p(exp(neg(abs(logits)))));
    return reduce(l, opts.reduction);
  });
}

/** max(0, 1 - y·score) for labels y in {-1, +1}, per element. */
export function hinge(scores: Tensor, labels: TensorLike, opts: LossOptions = {}): Tensor {
  return scores.trace.atCaller(() => reduce(maximum(sub(1, mul(scores, labels)), 0), opts.reduction));
}

/**
 * KL(p ‖ q) = Σ p · (log p − log q) along the last axis for probability tensors p and q of one
 * shape (terms with p = 0 count 0, as 0 · log 0 → 0); per row. Keras's KLDivergence(p, q).
 */
export function klDivergence(p: Tensor, q: Tensor, opts: LossOptions = {}): Tensor {
  const ctx = p.trace;
  ctx.checkOwn('klDivergence', q);
  if (!shapesEqual(p.shape, q.shape)) throw ctx.error('klDivergence', `p and q must have one shape, got ${formatShape(p.shape)} and ${formatShape(q.shape)}`, [p, q]);
  return ctx.atCaller(() => reduce(sum(where(gt(p, 0), mul(p, sub(log(p), log(q))), 0), -1), opts.reduction));
}

/**
 * KL(N(μ, σ²) ‖ N(0, 1)) summed over the last axis, from μ and log σ² (the VAE regulariser):
 * −½ Σ (1 + log σ² − μ² − σ²); per row.
 */
export function gaussianKl(mu: Tensor, logVar: Tensor, opts: LossOptions = {}): Tensor {
  const ctx = mu.trace;
  ctx.checkOwn('gaussianKl', logVar);
  if (!shapesEqual(mu.shape, logVar.shape))
    throw ctx.error('gaussianKl', `mu and logVar must have one shape, got ${formatShape(mu.shape)} and ${formatShape(logVar.shape)}`, [mu, logVar]);
  return ctx.atCaller(() => reduce(mul(sum(sub(sub(add(logVar, 1), square(mu)), exp(logVar)), -1), -0.5), opts.reduction));
}
