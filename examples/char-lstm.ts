// Example: a character-level LSTM language model on Moby-Dick: embedding → LSTM (unrolled over
// T characters) → linear to next-character logits, trained with Adam and gradient clipping. After
// training, a one-step graph with the same parameter names samples text, carrying (h, c).
// Run: pnpm exec tsx examples/char-lstm.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { array, compileWith, isMain, runMain, sampleLogits, scalar, textWindows, type TrainOptions, type TrainResult } from './common.js';
import { loadText } from './lib/datasets.js';

export interface CharLstmOptions extends TrainOptions {
  readonly batch?: number;
  readonly seqLen?: number;
  readonly hidden?: number;
  readonly embed?: number;
  /** Characters to sample after training (default 200). */
  readonly sample?: number;
}

export async function train(opts: CharLstmOptions): Promise<TrainResult> {
  const [B, T, H, E] = [opts.batch ?? 32, opts.seqLen ?? 32, opts.hidden ?? 128, opts.embed ?? 32];
  const { text, vocab } = loadText();
  const ids = vocab.encode(text);
  const split = Math.floor(ids.length * 0.95);
  const trainIds = ids.subarray(0, split);
  const heldOut = ids.subarray(split);
  const V = vocab.size;

  const model = (x: k.Tensor): k.Tensor => k.nn.linear(k.layers.lstm(k.nn.embedding(x, V, E, { init: k.init.normal(0.1) }), H).outputs, H, V);
  const traced = k.trace(({ x, y }) => {
    const loss = k.losses.softmaxCrossEntropy(model(x), y, { reduction: 'mean' });
    return { loss, updates: k.optim.adam({ lr: 3e-3, clipNorm: 1 }).minimize(loss) };
  }, { x: k.i32([B, T]), y: k.i32([B, T]) }, { name: 'char_lstm_train' });
  const step = await compileWith(traced, opts);
  const rng = k.data.Rng.fromSeed(opts.seed);
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    losses.push(scalar(await step.run(textWindows(trainIds, B, T, rng)), 'loss'));
    opts.onStep?.(s, losses[s - 1]!);
  }
  const params = await step.params();
  step.dispose();

  // Held-out loss on B random windows of the last 5% of the book.
  const evalGraph = k.trace(({ x, y }) => ({ loss: k.losses.softmaxCrossEntropy(model(x), y, { reduction: 'mean' }) }), { x: k.i32([B, T]), y: k.i32([B, T]) }, { name: 'char_lstm_eval' });
  const evalStep = await compileWith(evalGraph, opts, params);
  const heldOutLoss = scalar(await evalStep.run(textWindows(heldOut, B, T, k.data.Rng.fromSeed(opts.seed + 1))), 'loss');
  evalStep.dispose();

  // Sampling: one character per run, the LSTM state passed back in.
  const gen = k.trace(({ x, h, c }) => {
    const e = k.nn.embedding(x, V, E).reshape([1, E]);
    const s = k.layers.lstmCell(E, H)(e, { h, c });
    return { logits: k.nn.linear(s.h, H, V), h: s.h, c: s.c };
  }, { x: k.i32([1]), h: k.f32([1, H]), c: k.f32([1, H]) }, { name: 'char_lstm_sample' });
  const genStep = await compileWith(gen, opts, params);
  let h: ArrayLike<number> = new Float32Array(H);
  let c: ArrayLike<number> = new Float32Array(H);
  const prompt = vocab.encode('Call me ');
  let next = prompt[0]!;
  let sample = '';
  for (let i = 0; i < prompt.length + (opts.sample ?? 200) - 1; i++) {
    const out = await genStep.run({ x: [next], h, c });
    [h, c] = [array(out, 'h'), array(out, 'c')];
    next = i + 1 < prompt.length ? prompt[i + 1]! : sampleLogits(array(out, 'logits'), 0, V, 0.8, rng);
    if (i + 1 >= prompt.length) sample += vocab.decode([next]);
  }
  genStep.dispose();
  return {
    losses,
    metrics: { 'vocabulary size': V, 'uniform-guess loss ln(V)': Math.log(V), 'held-out loss (nats/char)': heldOutLoss, 'held-out bits/char': heldOutLoss / Math.LN2, sample: JSON.stringify('Call me ' + sample) },
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'char-lstm', defaultSteps: 1000, train });
