// Example: logistic regression (a linear score squashed by a sigmoid) separating two Gaussian
// blobs, trained by SGD with momentum on the binary cross-entropy from logits.
// Run: pnpm exec tsx examples/logistic-regression.ts

import * as k from '@kiln/frontend';
import { array, compileWith, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { blobs } from './lib/datasets.js';

const BATCH = 32;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const data = blobs({ n: 400, centers: 2, dim: 2, std: 1.2, spread: 3, seed: opts.seed });
  const y = Float32Array.from(data.labels);
  const traced = k.trace(({ x, y }) => {
    const logit = k.nn.linear(x, 2, 1).reshape([BATCH]);
    const loss = k.losses.binaryCrossEntropyWithLogits(logit, y, { reduction: 'mean' });
    const correct = logit.gt(0).eq(y.gt(0.5)).mean();
    return { loss, accuracy: correct, updates: k.optim.momentum({ lr: 0.05, momentum: 0.9 }).minimize(loss) };
  }, { x: k.f32([BATCH, 2]), y: k.f32([BATCH]) }, { name: 'logistic_regression' });
  const step = await compileWith(traced, opts);
  const losses: number[] = [];
  const accs: number[] = [];
  for (let epoch = 0; losses.length < opts.steps; epoch++)
    for (const b of k.data.batches({ n: data.n, x: data.x, y }, { batchSize: BATCH, seed: opts.seed, epoch, dropLast: true })) {
      if (losses.length >= opts.steps) break;
      const out = await step.run({ x: b.columns.x, y: b.columns.y });
      losses.push(scalar(out, 'loss'));
      accs.push(scalar(out, 'accuracy'));
      opts.onStep?.(losses.length, losses[losses.length - 1]!);
    }
  // Accuracy of the final parameters over the whole dataset, computed on the host.
  const w = array(await step.params(), 'linear0.w');
  const bias = array(await step.params(), 'linear0.b')[0]!;
  let hits = 0;
  for (let i = 0; i < data.n; i++) if ((data.x[2 * i]! * w[0]! + data.x[2 * i + 1]! * w[1]! + bias > 0 ? 1 : 0) === data.labels[i]) hits++;
  step.dispose();
  return { losses, metrics: { 'accuracy (all 400 points)': hits / data.n, 'last-batch accuracy': accs[accs.length - 1] ?? NaN } };
}

if (isMain(import.meta.url)) await runMain({ name: 'logistic-regression', defaultSteps: 300, train });
