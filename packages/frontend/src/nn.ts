// Frontend: neural-network layers that own parameters (linear, conv1d/conv2d, embedding,
// layerNorm) plus parameter-free building blocks (dropout, attention, activations, pooling), as
// functions that create their parameters in a name scope (the module classes are in modules/; the
// `nn` namespace joins both in nn-namespace.ts).

import { KilnError, elementAt, formatShape } from '@kiln/ir';
import { conv1d as conv1dOp, conv2d as conv2dOp, type ConvOptions } from './conv.js';
import { add, div, ge, mul, where } from './elementwise.js';
import { glorotUniform, normal, ones, zeros, type Initializer } from './init.js';
import { gather, matrixTranspose } from './layout.js';
import { matmul } from './linalg.js';
import { layerNorm as layerNormOp } from './ops.js';
import { layerScope } from './params.js';
import { softmax } from './activations.js';
import type { Tensor } from './tensor.js';
import { lastDim } from './dims.js';

export { relu, leakyRelu, gelu, silu, softplus, sigmoid, softmax, logSoftmax } from './activations.js';
export { maxPool2d, avgPool2d } from './conv.js';

export interface LayerOptions {
  /** Scope name for the layer's parameters (default: `<kind><k>`, e.g. linear0). */
  readonly name?: string;
}

function requireLastDim(x: Tensor, op: string, n: number, what: string): void {
  if (x.shape[x.rank - 1] !== n) throw x.trace.error(op, `expects ${n} ${what} in the last dim, the input is ${formatShape(x.shape)}`, [x]);
}

export interface LinearOptions extends LayerOptions {
  readonly bias?: boolean;
  readonly weightInit?: Initializer;
  readonly biasInit?: Initializer;
}

/** y = x @ w + b with w [in, out] (Glorot uniform) and b [out] (zeros); x is [..., in]. */
export function linear(x: Tensor, inFeatures: number, outFeatures: number, opts: LinearOptions = {}): Tensor {
  const ctx = x.trace;
  requireLastDim(x, 'linear', inFeatures, 'features');
  return layerScope(ctx, 'linear', opts.name, () => {
    const w = ctx.createState('w', { dtype: 'f32', shape: [inFeatures, outFeatures] }, opts.weightInit ?? glorotUniform());
    const y = matmul(x, w);
    if (opts.bias === false) return y;
    return add(y, ctx.createState('b', { dtype: 'f32', shape: [outFeatures] }, opts.biasInit ?? zeros()));
  });
}

export interface ConvLayerOptions extends LayerOptions, ConvOptions {
  readonly bias?: boolean;
  readonly weightInit?: Initializer;
}

/**
 * A convolution layer's weights: kernel [*K, inC/groups, outC] and, optionally, bias [outC].
 * @internal
 */
export interface ConvParams {
  readonly weight: Tensor;
  readonly bias?: Tensor | undefined;
}

/**
 * The kernel shape [*window, inC/groups, outC] of a conv layer; shared by k.nn.conv1d/conv2d and
 * the Conv1d/Conv2d modules so both create the same weights.
 * @internal
 */
export function convKernelShape(op: string, window: readonly number[], inChannels: number, outChannels: number, groups = 1): number[] {
  if (!Number.isInteger(groups) || groups < 1 || inChannels % groups !== 0 || outChannels % groups !== 0)
    throw new KilnError({ op, message: `groups must be a positive integer dividing both channel counts, got groups ${groups} for ${inChannels} → ${outChannels} channels` });
  for (const k of window) if (!Number.isInteger(k) || k < 1) throw new KilnError({ op, message: `kernel sizes must be positive integers, got ${JSON.stringify(window)}` });
  return [...window, inChannels / groups, outChannels];
}

/** conv2d(x, weight) + bias for x [N,H,W,inC]: the math of k.nn.conv2d and k.nn.Conv2d. @internal */
export function conv2dApply(x: Tensor, p: ConvParams, opts: ConvOptions = {}): Tensor {
  return x.trace.atCaller(() => {
    const y = conv2dOp(x, p.weight, opts);
    return p.bias === undefined ? y : add(y, p.bias);
  });
}

/** conv1d(x, weight) + bias for x [N,L,inC]: the math of k.nn.conv1d and k.nn.Conv1d. @internal */
export function conv1dApply(x: Tensor, p: ConvParams, opts: ConvOptions = {}): Tensor {
  return x.trace.atCaller(() => {
    const y = conv1dOp(x, p.weight, opts);
    return p.bias === undefined ? y : add(y, p.bias);
  });
}

/** Conv2d layer: x [N,H,W,inC], kernel [KH,KW,inC/groups,outC] (Glorot uniform), bias [outC]. */
export function conv2d(x: Tensor, inChannels: number, outChannels: number, kernel: number | readonly [number, number], opts: ConvLayerOptions = {}): Tensor {
  const ctx = x.trace;
  requireLastDim(x, 'conv2d', inChannels, 'channels');
  const window = typeof kernel === 'number' ? [kernel, kernel] : [...kernel];
  return layerScope(ctx, 'conv2d', opts.name, () => {
    const weight = ctx.createState('w', { dtype: 'f32', shape: convKernelShape('conv2d', window, inChannels, outChannels, opts.groups) }, opts.weightInit ?? glorotUniform());
    const bias = opts.bias === false ? undefined : ctx.createState('b', { dtype: 'f32', shape: [outChannels] }, zeros());
    return conv2dApply(x, { weight, bias }, opts);
  });
}

/** Conv1d layer: x [N,L,inC], kernel [K,inC/groups,outC]; `padding: 'causal'` for autoregressive models. */
export function conv1d(x: Tensor, inChannels: number, outChannels: number, kernel: number, opts: ConvLayerOptions = {}): Tensor {
  const ctx = x.trace;
  requireLastDim(x, 'conv1d', inChannels, 'channels');
  return layerScope(ctx, 'conv1d', opts.name, () => {
    const weight = ctx.createState('w', { dtype: 'f32', shape: convKernelShape('conv1d', [kernel], inChannels, outChannels, opts.groups) }, opts.weightInit ?? glorotUniform());
    const bias = opts.bias === false ? undefined : ctx.createState('b', { dtype: 'f32', shape: [outChannels] }, zeros());
    return conv1dApply(x, { weight, bias }, opts);
  });
}

export interface EmbeddingOptions extends LayerOptions {
  readonly init?: Initializer;
}

/** Looks up rows of a [vocab, dim] table (normal(1) init): int ids [...] → [..., dim]. */
export function embedding(ids: Tensor, vocab: number, dim: number, opts: EmbeddingOptions = {}): Tensor {
  const ctx = ids.trace;
  if (ids.dtype !== 'i32' && ids.dtype !== 'u32') throw ctx.error('embedding', `ids must be i32 or u32, got ${ids.dtype}`, [ids]);
  return layerScope(ctx, 'embedding', opts.name, () => {
    const table = ctx.createState('table', { dtype: 'f32', shape: [vocab, dim] }, opts.init ?? normal(1));
    return gather(table, ids, 0);
  });
}

export interface LayerNormLayerOptions extends LayerOptions {
  readonly eps?: number;
  /** Learn a gain (ones) and bias (zeros) over the last dim (default true). */
  readonly affine?: boolean;
}

/** Layer normalisation over the last dim with learned gain and bias. */
export function layerNorm(x: Tensor, opts: LayerNormLayerOptions = {}): Tensor {
  const ctx = x.trace;
  const d = lastDim(x, 'layerNorm');
  return layerScope(ctx, 'layernorm', opts.name, () => {
    if (opts.affine === false) return layerNormOp(x, { ...(opts.eps !== undefined ? { eps: opts.eps } : {}) });
    const gain = ctx.createState('gain', { dtype: 'f32', shape: [d] }, ones());
    const bias = ctx.createState('bias', { dtype: 'f32', shape: [d] }, zeros());
    return layerNormOp(x, { gain, bias, ...(opts.eps !== undefined ? { eps: opts.eps } : {}) });
  });
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales the rest by 1/(1-rate).
 * The mask is random_bits of `key` (u32[2]); without a key, a fresh one from k.randomKey() is used.
 */
export function dropout(x: Tensor, rate: number, key?: Tensor, opts: { training?: boolean } = {}): Tensor {
  const ctx = x.trace;
  if (!(rate >= 0 && rate < 1)) throw ctx.error('dropout', `rate must be in [0, 1), got ${rate}`, [x]);
  if (opts.training === false || rate === 0) return x;
  return ctx.atCaller(() => {
    const k = key ?? ctx.randomKey();
    if (k.dtype !== 'u32' || k.rank !== 1 || k.shape[0] !== 2) throw ctx.error('dropout', 'the key must be u32[2]', [k]);
    const u = ctx.emit('random_bits', [k], {}, { dtype: 'f32', shape: [...x.shape] });
    return where(ge(u, rate), div(x, 1 - rate), 0);
  });
}

export interface AttentionOptions {
  /** Query i attends to keys j <= i + (Tk - Tq) only. */
  readonly causal?: boolean;
  /** Bool, broadcastable to the scores [..., Tq, Tk]: false positions are masked out. */
  readonly mask?: Tensor;
  /** Score scale (default 1/sqrt(d)). */
  readonly scale?: number;
}

/** Masked scores get this instead of -inf, so a fully masked row stays finite (uniform weights). */
const MASKED_SCORE = -1e30;

/** softmax(q kᵀ · scale + mask) v for q [..., Tq, d], k [..., Tk, d], v [..., Tk, dv]. */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  const ctx = q.trace;
  if (q.rank < 2 || k.rank < 2 || v.rank < 2) throw ctx.error('attention', 'q, k and v need rank >= 2 ([..., T, d])', [q, k, v]);
  const d = elementAt(q.shape, q.rank - 1, 'attention q shape (rank >= 2 checked above)');
  return ctx.atCaller(() => {
    let scores = mul(matmul(q, matrixTranspose(k)), opts.scale ?? 1 / Math.sqrt(d));
    const tq = elementAt(scores.shape, scores.rank - 2, 'attention scores shape');
    const tk = elementAt(scores.shape, scores.rank - 1, 'attention scores shape');
    if (opts.causal === true) {
      const rows = ctx.emit('iota', [], { dim: 0 }, { dtype: 'i32', shape: [tq, tk] });
      const cols = ctx.emit('iota', [], { dim: 1 }, { dtype: 'i32', shape: [tq, tk] });
      scores = where(ge(add(rows, tk - tq), cols), scores, MASKED_SCORE);
    }
    if (opts.mask !== undefined) scores = where(opts.mask, scores, MASKED_SCORE);
    return matmul(softmax(scores, -1), v);
  });
}
