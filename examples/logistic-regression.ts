// Example: logistic regression (a linear score squashed by a sigmoid) separating two Gaussian
// blobs, trained by SGD with momentum on the binary cross-entropy from logits; accuracy over the
// whole dataset from a second jitted function on the same model.
// Run: pnpm exec tsx examples/logistic-regression.ts

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { blobs } from './lib/datasets.js';

const BATCH = 32;

/** Fraction of points on the right side of the boundary: logit > 0 predicts label 1. */
function accuracy(logit: k.Tensor, y: k.Tensor): k.Tensor {
  return logit.gt(0).eq(y.gt(0.5)).mean();
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const data = blobs({ n: 400, centers: 2, dim: 2, std: 1.2, spread: 3, seed: opts.seed });
  // The loss wants f32 targets in {0, 1}.
  const labels = Float32Array.from(data.labels);
  k.manualSeed(opts.seed);
  const model = new k.nn.Linear(2, 1);
  // [B, 1] scores → [B] logits, for any batch size.
  const logitOf = (x: k.Tensor): k.Tensor => model.forward(x).reshape([-1]);
  const opt = k.optim.momentum({ lr: 0.05, momentum: 0.9 });
  const step = k.jit(
    ({ x, y }: { x: k.Tensor; y: k.Tensor }) => {
      const logit = logitOf(x);
      const loss = k.losses.binaryCrossEntropyWithLogits(logit, y, { reduction: 'mean' });
      return { loss, accuracy: accuracy(logit, y), updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'logistic_regression'),
  );
  const evaluate = k.jit(({ x, y }: { x: k.Tensor; y: k.Tensor }) => ({ accuracy: accuracy(logitOf(x), y) }), jitOptions(opts, 'logistic_eval'));

  const batches = k.data.loader({ n: data.n, x: data.x, y: labels }, { batchSize: BATCH, seed: opts.seed, dropLast: true }).forever();
  const losses: number[] = [];
  const accs: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const { columns } = batches.next().value.batch;
    const out = await step({ x: k.tensor(columns.x, [BATCH, 2]), y: k.tensor(columns.y, [BATCH]) });
    losses.push(out.loss.item());
    accs.push(out.accuracy.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, out.loss.item());
  }
  // The final parameters on all 400 points at once: the same weights, a batch of 400.
  const { accuracy: all } = await evaluate({ x: k.tensor(data.x, [data.n, 2]), y: k.tensor(labels, [data.n]) });
  step.dispose();
  evaluate.dispose();
  return { losses, metrics: { [`accuracy (all ${data.n} points)`]: all.item(), 'last-batch accuracy': accs[accs.length - 1] ?? NaN } };
}

if (isMain(import.meta.url)) await runMain({ name: 'logistic-regression', defaultSteps: 300, train });
