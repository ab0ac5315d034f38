// Example: a small character-level transformer language model on Moby-Dick: token embedding +
// sinusoidal positional encoding → pre-norm causal transformer blocks (multi-head attention +
// GELU MLP) → layer norm → next-character logits, trained with AdamW under linear warmup and
// cosine decay, all computed in the graph. Run: pnpm exec tsx examples/transformer-lm.ts [--steps N]

import * as k from '@kiln/frontend';
import { array, compileWith, isMain, runMain, sampleLogits, scalar, textWindows, type TrainOptions, type TrainResult } from './common.js';
import { loadText } from './lib/datasets.js';

export interface TransformerOptions extends TrainOptions {
  readonly batch?: number;
  readonly seqLen?: number;
  readonly dim?: number;
  readonly heads?: number;
  readonly layers?: number;
  readonly sample?: number;
}

export async function train(opts: TransformerOptions): Promise<TrainResult> {
  const [B, T, D, heads, layers] = [opts.batch ?? 16, opts.seqLen ?? 32, opts.dim ?? 64, opts.heads ?? 4, opts.layers ?? 2];
  const { text, vocab } = loadText();
  const ids = vocab.encode(text);
  const split = Math.floor(ids.length * 0.95);
  const V = vocab.size;

  /** Logits [b, t, V] for ids [b, t]. */
  const model = (x: k.Tensor): k.Tensor => {
    const t = x.shape[1] ?? T;
    let h = k.nn.embedding(x, V, D, { init: k.init.normal(0.1) }).add(k.layers.sinusoidalPositionalEncoding(t, D).mul(0.1));
    for (let l = 0; l < layers; l++) h = k.layers.transformerBlock(h, { heads, ffDim: 4 * D, causal: true });
    return k.nn.linear(k.nn.layerNorm(h, { name: 'ln_f' }), D, V, { name: 'head' });
  };
  const lr = k.optim.linearWarmup(Math.max(1, Math.floor(opts.steps / 10)), k.optim.cosineDecay(3e-3, { steps: opts.steps, alpha: 0.1 }));
  const traced = k.trace(({ x, y }) => {
    const loss = k.losses.softmaxCrossEntropy(model(x), y, { reduction: 'mean' });
    return { loss, updates: k.optim.adamw({ lr, weightDecay: 0.01, clipNorm: 1 }).minimize(loss) };
  }, { x: k.i32([B, T]), y: k.i32([B, T]) }, { name: 'transformer_lm_train' });
  const step = await compileWith(traced, opts);
  const rng = k.data.Rng.fromSeed(opts.seed);
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    losses.push(scalar(await step.run(textWindows(ids.subarray(0, split), B, T, rng)), 'loss'));
    opts.onStep?.(s, losses[s - 1]!);
  }
  const params = await step.params();
  step.dispose();

  const evalGraph = k.trace(({ x, y }) => ({ loss: k.losses.softmaxCrossEntropy(model(x), y, { reduction: 'mean' }) }), { x: k.i32([B, T]), y: k.i32([B, T]) }, { name: 'transformer_lm_eval' });
  const evalStep = await compileWith(evalGraph, opts, params);
  const heldOutLoss = scalar(await evalStep.run(textWindows(ids.subarray(split), B, T, k.data.Rng.fromSeed(opts.seed + 1))), 'loss');
  evalStep.dispose();

  // Sampling with a sliding window of the last T characters (no cache: the model reruns on it).
  const gen = k.trace(({ x }) => ({ logits: model(x) }), { x: k.i32([1, T]) }, { name: 'transformer_lm_sample' });
  const genStep = await compileWith(gen, opts, params);
  const context = Array.from(vocab.encode('Call me Ishmael. '));
  const prompt = context.length;
  for (let i = 0; i < (opts.sample ?? 200); i++) {
    const window = context.slice(-T);
    const n = window.length;
    const padded = Int32Array.from({ length: T }, (_, j) => window[j] ?? 0);
    const logits = array(await genStep.run({ x: padded }), 'logits');
    context.push(sampleLogits(logits, (n - 1) * V, V, 0.8, rng));
  }
  genStep.dispose();
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
