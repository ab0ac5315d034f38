// Example: linear regression y = x·W + b on synthetic data with known weights, trained by
// minibatch SGD on the mean squared error. Run: pnpm exec tsx examples/linear-regression.ts

import * as k from '@kiln/frontend';
import { compileWith, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { linearData } from './lib/datasets.js';

const FEATURES = 3;
const BATCH = 32;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const data = linearData({ n: 512, features: FEATURES, noise: 0.1, seed: opts.seed });
  const traced = k.trace(({ x, y }) => {
    const pred = k.nn.linear(x, FEATURES, 1);
    const loss = k.losses.mse(pred, y, { reduction: 'mean' });
    return { loss, updates: k.optim.sgd({ lr: 0.1 }).minimize(loss) };
  }, { x: k.f32([BATCH, FEATURES]), y: k.f32([BATCH, 1]) }, { name: 'linear_regression' });
  const step = await compileWith(traced, opts);
  const losses: number[] = [];
  let epoch = 0;
  while (losses.length < opts.steps) {
    for (const b of k.data.batches({ n: data.n, x: data.x, y: data.y }, { batchSize: BATCH, seed: opts.seed, epoch, dropLast: true })) {
      if (losses.length >= opts.steps) break;
      losses.push(scalar(await step.run({ x: b.columns.x, y: b.columns.y }), 'loss'));
      opts.onStep?.(losses.length, losses[losses.length - 1]!);
    }
    epoch++;
  }
  const w = await step.getParam('linear0.w');
  const b = await step.getParam('linear0.b');
  let err = Math.abs(b[0]! - data.bias[0]!);
  for (let i = 0; i < FEATURES; i++) err = Math.max(err, Math.abs(w[i]! - data.weights[i]!));
  step.dispose();
  return { losses, metrics: { 'max |learned - true| weight': err, 'noise variance (best reachable mse)': 0.01 } };
}

if (isMain(import.meta.url)) await runMain({ name: 'linear-regression', defaultSteps: 300, train, logY: true });
