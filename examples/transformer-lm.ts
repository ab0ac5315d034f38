// Example: a small character-level transformer language model on Moby-Dick: token embedding
// (scaled by √dim) + sinusoidal positional encoding → pre-norm causal transformer blocks
// (multi-head attention + GELU MLP) → layer norm → next-character logits, trained with AdamW under
// linear warmup and cosine decay, all computed in the graph. The output projection is TIED to the
// token embedding: logits = h · Eᵀ (+ a bias), so one [vocab, dim] table both reads and writes
// tokens and is trained through both uses. The held-out loss and the sampler are further jitted
// functions on the same model. Run: pnpm exec tsx examples/transformer-lm.ts [--steps N]

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, sampleLogits, textLoss, textWindows, type TrainOptions, type TrainResult } from './common.js';
import { loadText } from './lib/datasets.js';

export interface TransformerOptions extends TrainOptions {
  readonly batch?: number;
  readonly seqLen?: number;
  readonly dim?: number;
  readonly heads?: number;
  readonly layers?: number;
  readonly sample?: number;
}

export interface TransformerLmConfig {
  readonly vocab: number;
  readonly dim: number;
  readonly heads: number;
  readonly layers: number;
}

/** Token ids [B, T] → next-token logits [B, T, vocab] (position t sees tokens ≤ t only). */
export class TransformerLm extends k.nn.Module {
  /** The token table E [vocab, dim]: the input lookup and, transposed, the output projection. */
  readonly embed: k.nn.Embedding;
  readonly pos: k.nn.SinusoidalPositionalEncoding;
  readonly blocks: k.nn.TransformerBlock[];
  readonly lnF: k.nn.LayerNorm;
  /** Per-token output bias [vocab] (the projection's weight is the embedding). */
  readonly logitBias: k.nn.Parameter;
  private readonly scale: number;

  constructor(cfg: TransformerLmConfig) {
    super();
    // Rows of norm ≈ 1, so the tied logits h · Eᵀ of the layer-normed h start near unit scale;
    // the input side multiplies by √dim to match the positional encoding's scale (Vaswani et al.).
    this.embed = new k.nn.Embedding(cfg.vocab, cfg.dim, { init: k.init.normal(1 / Math.sqrt(cfg.dim)) });
    this.scale = Math.sqrt(cfg.dim);
    this.pos = new k.nn.SinusoidalPositionalEncoding(cfg.dim);
    this.blocks = Array.from({ length: cfg.layers }, () => new k.nn.TransformerBlock(cfg.dim, cfg.heads, { ffDim: 4 * cfg.dim, causal: true }));
    this.lnF = new k.nn.LayerNorm(cfg.dim);
    this.logitBias = k.nn.parameter([cfg.vocab], k.init.zeros());
  }

  forward(ids: k.Tensor): k.Tensor {
    let h = this.pos.forward(this.embed.forward(ids).mul(this.scale));
    for (const block of this.blocks) h = block.forward(h);
    return this.lnF.forward(h).matmul(this.embed.weight.mT).add(this.logitBias);
  }
}

/** Mean next-token cross-entropy of the model on ids x and targets y [B, T]. */
export function lmLoss(model: TransformerLm, x: k.Tensor, y: k.Tensor): k.Tensor {
  return k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
}

export async function train(opts: TransformerOptions): Promise<TrainResult> {
  const [B, T, D, heads, layers] = [opts.batch ?? 16, opts.seqLen ?? 32, opts.dim ?? 64, opts.heads ?? 4, opts.layers ?? 2];
  const { text, vocab } = loadText();
  const ids = vocab.encode(text);
  const split = Math.floor(ids.length * 0.95);
  const V = vocab.size;

  k.manualSeed(opts.seed);
  const model = new TransformerLm({ vocab: V, dim: D, heads, layers });
  const lr = k.optim.linearWarmup(Math.max(1, Math.floor(opts.steps / 10)), k.optim.cosineDecay(3e-3, { steps: opts.steps, alpha: 0.1 }));
  const opt = k.optim.adamw({ lr, weightDecay: 0.01, clipNorm: 1 });
  const step = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => {
      const loss = lmLoss(model, x, y);
      return { loss, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'transformer_lm_train'),
  );
  // Summed over the batch, so batches of any size add up to the loss per character.
  const evaluate = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => ({ loss: k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'sum' }) }),
    jitOptions(opts, 'transformer_lm_eval'),
  );
  const logitsOf = k.jit(({ x }: k.Inputs<'x'>) => ({ logits: model.forward(x) }), jitOptions(opts, 'transformer_lm_sample'));

  const rng = k.data.Rng.fromSeed(opts.seed);
  const trainIds = ids.subarray(0, split);
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const batch = textWindows(trainIds, B, T, rng);
    const { loss } = await step({ x: k.tensor(batch.x, [B, T]), y: k.tensor(batch.y, [B, T]) });
    losses.push(loss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, loss.item());
  }
  const heldOutLoss = await textLoss(evaluate, ids.subarray(split), T);

  // Sampling with a sliding window of the last T characters (no cache: the model reruns on it).
  // A shorter window is padded at the end to T, so every call has one shape; causal attention
  // keeps the padding out of the logits of the window's last character.
  const context = Array.from(vocab.encode('Call me Ishmael. '));
  const prompt = context.length;
  for (let i = 0; i < (opts.sample ?? 200); i++) {
    const window = context.slice(-T);
    const padded = Int32Array.from({ length: T }, (_, j) => window[j] ?? 0);
    const { logits } = await logitsOf({ x: k.tensor(padded, [1, T]) });
    context.push(sampleLogits(logits.data, (window.length - 1) * V, V, 0.8, rng));
  }
  step.dispose();
  evaluate.dispose();
  logitsOf.dispose();
  return {
    losses,
    metrics: {
      'uniform-guess loss ln(V)': Math.log(V),
      'held-out loss (nats/char)': heldOutLoss,
      'held-out bits/char': heldOutLoss / Math.LN2,
      sample: JSON.stringify(vocab.decode(context.slice(0, prompt)) + vocab.decode(context.slice(prompt))),
    },
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'transformer-lm', defaultSteps: 600, train });
