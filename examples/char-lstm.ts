// Example: a character-level LSTM language model on Moby-Dick: embedding → LSTM (unrolled over
// T characters) → linear to next-character logits, trained with Adam and gradient clipping on
// random windows of the first 95% of the book. The held-out loss is a second jitted function on
// the same model over every window of the last 5%; sampling is a third, one character per call,
// that carries the LSTM state (h, c) from call to call.
// Run: pnpm exec tsx examples/char-lstm.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, sampleLogits, textLoss, textWindows, type TrainOptions, type TrainResult } from './common.js';
import { loadText } from './lib/datasets.js';

export interface CharLstmOptions extends TrainOptions {
  readonly batch?: number;
  readonly seqLen?: number;
  readonly hidden?: number;
  readonly embed?: number;
  /** Characters to sample after training (default 200). */
  readonly sample?: number;
}

/** Character ids [B, T] → next-character logits [B, T, vocab], from an LSTM state (zeros by default) to the state after the last character. */
export class CharLstm extends k.nn.Module {
  readonly embed: k.nn.Embedding;
  readonly lstm: k.nn.LSTM;
  readonly head: k.nn.Linear;

  constructor(vocab: number, embedDim: number, hidden: number) {
    super();
    this.embed = new k.nn.Embedding(vocab, embedDim, { init: k.init.normal(0.1) });
    this.lstm = new k.nn.LSTM(embedDim, hidden);
    this.head = new k.nn.Linear(hidden, vocab);
  }

  forward(ids: k.Tensor, state?: k.layers.LstmState): { logits: k.Tensor; state: k.layers.LstmState } {
    const seq = this.lstm.forward(this.embed.forward(ids), state);
    return { logits: this.head.forward(seq.outputs), state: seq.state };
  }
}

export async function train(opts: CharLstmOptions): Promise<TrainResult> {
  const [B, T, H, E] = [opts.batch ?? 32, opts.seqLen ?? 32, opts.hidden ?? 128, opts.embed ?? 32];
  const { text, vocab } = loadText();
  const ids = vocab.encode(text);
  const split = Math.floor(ids.length * 0.95);
  const V = vocab.size;

  k.manualSeed(opts.seed);
  const model = new CharLstm(V, E, H);
  const opt = k.optim.adam({ lr: 3e-3, clipNorm: 1 });
  const step = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => {
      const loss = k.losses.softmaxCrossEntropy(model.forward(x).logits, y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'char_lstm_train'),
  );
  // Summed over the batch, so batches of any size add up to the loss per character.
  const evaluate = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => ({ loss: k.losses.softmaxCrossEntropy(model.forward(x).logits, y, { reduction: 'sum' }) }),
    jitOptions(opts, 'char_lstm_eval'),
  );
  // One character x [1, 1] and the state before it → logits for the next one and the state after.
  const next = k.jit(
    ({ x, h, c }: k.Inputs<'x' | 'h' | 'c'>) => {
      const out = model.forward(x, { h, c });
      return { logits: out.logits, h: out.state.h, c: out.state.c };
    },
    jitOptions(opts, 'char_lstm_sample'),
  );

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

  // Sampling: feed the prompt one character at a time, then draw each next character.
  const prompt = vocab.encode('Call me ');
  let h = k.tensor(new Float32Array(H), [1, H]);
  let c = k.tensor(new Float32Array(H), [1, H]);
  let id = prompt[0]!;
  let sample = '';
  for (let i = 0; i < prompt.length + (opts.sample ?? 200) - 1; i++) {
    const out = await next({ x: k.tensor(Int32Array.of(id), [1, 1]), h, c });
    ({ h, c } = out);
    id = i + 1 < prompt.length ? prompt[i + 1]! : sampleLogits(out.logits.data, 0, V, 0.8, rng);
    if (i + 1 >= prompt.length) sample += vocab.decode([id]);
  }
  step.dispose();
  evaluate.dispose();
  next.dispose();
  return {
    losses,
    metrics: {
      'vocabulary size': V,
      'uniform-guess loss ln(V)': Math.log(V),
      'held-out loss (nats/char)': heldOutLoss,
      'held-out bits/char': heldOutLoss / Math.LN2,
      sample: JSON.stringify('Call me ' + sample),
    },
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'char-lstm', defaultSteps: 1000, train });
