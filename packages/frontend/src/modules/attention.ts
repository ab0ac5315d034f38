// Modules: MultiHeadAttention (self-attention with one fused q/k/v projection, or cross-attention
// with separate q and kv projections) and a pre-norm TransformerBlock, on the k.layers math.

import { KilnError, formatShape } from '@kiln/ir';
import { glorotUniform } from '../init.js';
import { attendHeads, preNormBlock } from '../layers/attention.js';
import { sliceAxis } from '../layout.js';
import type { Tensor } from '../tensor.js';
import { Dropout } from './dropout.js';
import { expectShape, requireSize } from './checks.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { LayerNorm } from './normalization.js';

export interface MultiHeadAttentionModuleOptions {
  /** Learn biases on the projections (default true). */
  readonly bias?: boolean;
  /**
   * Cross-attention (default false): queries come from x, keys and values from `forward`'s
   * `context`, so the module holds `q` = Linear(embedDim, embedDim) and `kv` = Linear(contextDim,
   * 2·embedDim) instead of the fused self-attention `qkv` = Linear(embedDim, 3·embedDim).
   */
  readonly cross?: boolean;
  /** Feature size of the context (cross-attention only; default embedDim). */
  readonly contextDim?: number;
  /** Default of `forward`'s `causal` (default false). */
  readonly causal?: boolean;
}

export interface AttentionCallOptions {
  /** Keys and values [B, S, contextDim] (required for, and only allowed with, `cross: true`). */
  readonly context?: Tensor;
  /** Bool, broadcastable to the scores [B, heads, T, S]: false positions are masked out. */
  readonly mask?: Tensor;
  /** Query t attends to keys s <= t + (S - T) only (overrides the constructor's default). */
  readonly causal?: boolean;
}

/**
 * Multi-head scaled dot-product attention on x [B, T, embedDim] → [B, T, embedDim]. Self-attention
 * computes q, k and v with one GEMM (`qkv.weight` [D, 3D] holds the q, k and v blocks side by side,
 * as k.layers.multiHeadAttention's separate q, k and v weights concatenated on their last dim);
 * `out` projects the merged heads.
 */
export class MultiHeadAttention extends Module {
  /** Fused q/k/v projection [D → 3D] (self-attention only). */
  readonly qkv: Linear | undefined;
  /** Query projection [D → D] (cross-attention only). */
  readonly q: Linear | undefined;
  /** Fused key/value projection [contextDim → 2D] (cross-attention only). */
  readonly kv: Linear | undefined;
  /** Output projection [D → D]. */
  readonly out: Linear;
  readonly cross: boolean;
  readonly contextDim: number;
  readonly causal: boolean;

  constructor(
    /** Model width D (the last dim of x). */
    readonly embedDim: number,
    /** Number of heads; D must divide by it (each head is D / heads wide). */
    readonly heads: number,
    opts: MultiHeadAttentionModuleOptions = {},
  ) {
    super();
    requireSize('MultiHeadAttention', 'embedDim', embedDim);
    requireSize('MultiHeadAttention', 'heads', heads);
    if (embedDim % heads !== 0) throw new KilnError({ op: 'MultiHeadAttention', message: `new k.nn.MultiHeadAttention: embedDim ${embedDim} does not split into ${heads} heads` });
    this.cross = opts.cross ?? false;
    this.contextDim = opts.contextDim ?? embedDim;
    requireSize('MultiHeadAttention', 'contextDim', this.contextDim);
    if (!this.cross && this.contextDim !== embedDim) throw new KilnError({ op: 'MultiHeadAttention', message: 'new k.nn.MultiHeadAttention: contextDim needs { cross: true }' });
    this.causal = opts.causal ?? false;
    const bias = opts.bias ?? true;
    // Fans of one D×D block, so each of q, k and v starts out as the functional form's separate
    // projection would (Glorot over [D, 3D] would shrink them).
    const blockInit = (fanIn: number) => glorotUniform({ fanIn, fanOut: embedDim });
    this.qkv = this.cross ? undefined : new Linear(embedDim, 3 * embedDim, { bias, weightInit: blockInit(embedDim) });
    this.q = this.cross ? new Linear(embedDim, embedDim, { bias }) : undefined;
    this.kv = this.cross ? new Linear(this.contextDim, 2 * embedDim, { bias, weightInit: blockInit(this.contextDim) }) : undefined;
    this.out = new Linear(embedDim, embedDim, { bias });
  }

  forward(x: Tensor, opts: AttentionCallOptions = {}): Tensor {
    const ctx = x.trace;
    expectShape(x, 'MultiHeadAttention', ['B', 'T', this.embedDim]);
    const context = opts.context;
    if (this.cross && context === undefined) throw ctx.error('MultiHeadAttention', 'MultiHeadAttention was built with { cross: true }: forward needs { context }', [x]);
    if (!this.cross && context !== undefined)
      throw ctx.error('MultiHeadAttention', 'MultiHeadAttention was built for self-attention: build it with { cross: true } to attend to a context', [x, context]);
    if (context !== undefined && (context.rank !== 3 || context.shape[0] !== x.shape[0] || context.shape[2] !== this.contextDim))
      throw ctx.error('MultiHeadAttention', `MultiHeadAttention expects the context [${x.shape[0] ?? 'B'}, S, ${this.contextDim}], got ${formatShape(context.shape)}`, [x, context]);
    const masking = { causal: opts.causal ?? this.causal, mask: opts.mask };
    return ctx.atCaller(() => {
      let q: Tensor;
      let k: Tensor;
      let v: Tensor;
      // Blocks of the fused projections' last dim: [q | k | v] and [k | v], each embedDim wide.
      const block = (t: Tensor, i: number): Tensor => sliceAxis(t, -1, i * this.embedDim, (i + 1) * this.embedDim);
      if (this.qkv !== undefined) {
        const qkv = this.qkv.forward(x);
        [q, k, v] = [block(qkv, 0), block(qkv, 1), block(qkv, 2)];
      } else if (this.q !== undefined && this.kv !== undefined && context !== undefined) {
        const kv = this.kv.forward(context);
        [q, k, v] = [this.q.forward(x), block(kv, 0), block(kv, 1)];
      } else throw ctx.error('MultiHeadAttention', 'internal: the projections do not match the mode', [x]);
      return this.out.forward(attendHeads(q, k, v, this.heads, masking));
    });
  }
}

export interface TransformerBlockModuleOptions {
  /** Hidden width of the MLP (default 4·dim). */
  readonly ffDim?: number;
  /** Dropout rate after attention and after the MLP, in training mode only (default 0: none). */
  readonly dropout?: number;
  /** Causal self-attention by default (a decoder block; default false). */
  readonly causal?: boolean;
  /** Learn biases on the attention projections (default true). */
  readonly bias?: boolean;
}

export interface TransformerBlockCallOptions {
  /** Bool, broadcastable to the scores [B, heads, T, T]: false positions are masked out. */
  readonly mask?: Tensor;
  /** Overrides the constructor's `causal`. */
  readonly causal?: boolean;
}

/** Pre-norm transformer block on x [B, T, dim]: h = x + drop(attn(ln1(x))); out = h + drop(ff2(gelu(ff1(ln2(h))))). */
export class TransformerBlock extends Module {
  readonly ln1: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly ff1: Linear;
  readonly ff2: Linear;
  readonly dropout: Dropout;

  constructor(
    /** Model width (the last dim of x). */
    readonly dim: number,
    /** Attention heads; dim must divide by it. */
    readonly heads: number,
    opts: TransformerBlockModuleOptions = {},
  ) {
    super();
    requireSize('TransformerBlock', 'dim', dim);
    const ff = opts.ffDim ?? 4 * dim;
    requireSize('TransformerBlock', 'ffDim', ff);
    this.ln1 = new LayerNorm(dim);
    this.attn = new MultiHeadAttention(dim, heads, { ...(opts.causal !== undefined ? { causal: opts.causal } : {}), ...(opts.bias !== undefined ? { bias: opts.bias } : {}) });
    this.ln2 = new LayerNorm(dim);
    this.ff1 = new Linear(dim, ff);
    this.ff2 = new Linear(ff, dim);
    this.dropout = new Dropout(opts.dropout ?? 0);
  }

  forward(x: Tensor, opts: TransformerBlockCallOptions = {}): Tensor {
    expectShape(x, 'TransformerBlock', ['B', 'T', this.dim]);
    const call: AttentionCallOptions = { ...(opts.mask !== undefined ? { mask: opts.mask } : {}), ...(opts.causal !== undefined ? { causal: opts.causal } : {}) };
    return x.trace.atCaller(() =>
      preNormBlock(x, {
        ln1: (t) => this.ln1.forward(t),
        attn: (t) => this.attn.forward(t, call),
        ln2: (t) => this.ln2.forward(t),
        ff1: (t) => this.ff1.forward(t),
        ff2: (t) => this.ff2.forward(t),
        dropout: (t) => this.dropout.forward(t),
      }),
    );
  }
}
