// Layers: multi-head (optionally causal or masked) attention with learned projections, and a
// pre-norm transformer block (attention + MLP, each wrapped in a residual connection).

import { elementAt, formatShape } from '@kiln/ir';
import { gelu } from '../activations.js';
import { reshape, transpose } from '../layout.js';
import { dropout, layerNorm, linear, scaledDotProductAttention } from '../nn.js';
import { layerScope } from '../params.js';
import type { Tensor } from '../tensor.js';
import { residual } from './residual.js';
import { lastDim } from '../dims.js';

export interface MultiHeadAttentionOptions {
  readonly heads: number;
  /** Query i attends to keys j <= i only. */
  readonly causal?: boolean;
  /** Bool, broadcastable to the scores [B, heads, Tq, Tk]: false positions are masked out. */
  readonly mask?: Tensor;
  /** Source of keys and values [B, S, D] (cross-attention); default x itself (self-attention). */
  readonly context?: Tensor;
  /** Biases on the q/k/v/output projections (default true). */
  readonly bias?: boolean;
  /** Scope name (default mha<k>); projections are `<scope>.{q,k,v,o}.{w,b}`. */
  readonly name?: string;
}

/** [B, T, D] → [B, heads, T, D/heads] */
function splitHeads(t: Tensor, heads: number): Tensor {
  const [b = 1, n = 1, d = 1] = t.shape;
  return transpose(reshape(t, [b, n, heads, d / heads]), [0, 2, 1, 3]);
}

/** [B, heads, T, dh] → [B, T, heads·dh] */
function mergeHeads(t: Tensor): Tensor {
  const [b = 1, h = 1, n = 1, dh = 1] = t.shape;
  return reshape(transpose(t, [0, 2, 1, 3]), [b, n, h * dh]);
}

/** Where attention may look: causal and/or an explicit mask (as scaledDotProductAttention takes them). */
export interface AttentionMasking {
  readonly causal?: boolean | undefined;
  readonly mask?: Tensor | undefined;
}

/**
 * The per-head attention shared by k.layers.multiHeadAttention and k.nn.MultiHeadAttention:
 * projected q [B, T, D], k and v [B, S, D] are split into heads, attended (softmax(q kᵀ/√dh) v)
 * and merged back to [B, T, D]; the caller applies the output projection.
 */
export function attendHeads(q: Tensor, k: Tensor, v: Tensor, heads: number, masking: AttentionMasking = {}): Tensor {
  return q.trace.atCaller(() => {
    const att = scaledDotProductAttention(splitHeads(q, heads), splitHeads(k, heads), splitHeads(v, heads), {
      ...(masking.causal !== undefined ? { causal: masking.causal } : {}),
      ...(masking.mask !== undefined ? { mask: masking.mask } : {}),
    });
    return mergeHeads(att);
  });
}

/** Multi-head attention on x [B, T, D]: softmax(q kᵀ/√dh) v per head, heads concatenated, projected. */
export function multiHeadAttention(x: Tensor, opts: MultiHeadAttentionOptions): Tensor {
  const ctx = x.trace;
  const src = opts.context ?? x;
  if (x.rank !== 3 || src.rank !== 3 || src.shape[0] !== x.shape[0] || src.shape[2] !== x.shape[2])
    throw ctx.error('multiHeadAttention', `expects x [B, T, D] and context [B, S, D], got ${formatShape(x.shape)} and ${formatShape(src.shape)}`, [x, src]);
  const d = elementAt(x.shape, 2, 'multiHeadAttention input shape (rank 3 checked above)');
  const heads = opts.heads;
  if (!Number.isInteger(heads) || heads < 1 || d % heads !== 0) throw ctx.error('multiHeadAttention', `model dim ${d} does not split into ${heads} heads`, [x]);
  const lin = { bias: opts.bias ?? true };
  return layerScope(ctx, 'mha', opts.name, () => {
    const q = linear(x, d, d, { ...lin, name: 'q' });
    const k = linear(src, d, d, { ...lin, name: 'k' });
    const v = linear(src, d, d, { ...lin, name: 'v' });
    return linear(attendHeads(q, k, v, heads, opts), d, d, { ...lin, name: 'o' });
  });
}

export interface TransformerBlockOptions {
  readonly heads: number;
  /** Hidden width of the MLP (default 4·D). */
  readonly ffDim?: number;
  readonly causal?: boolean;
  readonly mask?: Tensor;
  /** Dropout after attention and after the MLP (default 0: none). */
  readonly dropout?: number;
  readonly name?: string;
}

/** The sublayers of a pre-norm block, each a tensor → tensor map (functional layers or modules). */
export interface PreNormBlockParts {
  readonly ln1: (t: Tensor) => Tensor;
  readonly attn: (t: Tensor) => Tensor;
  readonly ln2: (t: Tensor) => Tensor;
  readonly ff1: (t: Tensor) => Tensor;
  readonly ff2: (t: Tensor) => Tensor;
  readonly dropout: (t: Tensor) => Tensor;
}

/**
 * The pre-norm block wiring shared by k.layers.transformerBlock and k.nn.TransformerBlock:
 * h = x + drop(attn(ln1(x))); out = h + drop(ff2(gelu(ff1(ln2(h))))). Parts are called in that
 * order, so functional parts create their parameters in it.
 */
export function preNormBlock(x: Tensor, parts: PreNormBlockParts): Tensor {
  const h = residual(x, (t) => parts.dropout(parts.attn(parts.ln1(t))));
  return residual(h, (t) => parts.dropout(parts.ff2(gelu(parts.ff1(parts.ln2(t))))));
}

/** Pre-norm block: h = x + mha(ln(x)); out = h + W2·gelu(W1·ln(h)). */
export function transformerBlock(x: Tensor, opts: TransformerBlockOptions): Tensor {
  const ctx = x.trace;
  const d = lastDim(x, 'transformerBlock');
  const ff = opts.ffDim ?? 4 * d;
  const rate = opts.dropout ?? 0;
  return layerScope(ctx, 'block', opts.name, () =>
    preNormBlock(x, {
      ln1: (t) => layerNorm(t, { name: 'ln1' }),
      attn: (t) =>
        multiHeadAttention(t, {
          heads: opts.heads,
          name: 'attn',
          ...(opts.causal !== undefined ? { causal: opts.causal } : {}),
          ...(opts.mask !== undefined ? { mask: opts.mask } : {}),
        }),
      ln2: (t) => layerNorm(t, { name: 'ln2' }),
      ff1: (t) => linear(t, d, ff, { name: 'ff1' }),
      ff2: (t) => linear(t, ff, d, { name: 'ff2' }),
      dropout: (t) => dropout(t, rate),
    }),
  );
}
