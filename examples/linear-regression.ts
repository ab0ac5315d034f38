// Example: linear regression y = x·W + b (one k.nn.Linear) on synthetic data with known weights,
// trained by minibatch SGD on the mean squared error. Run: pnpm exec tsx examples/linear-regression.ts

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { linearData } from './lib/datasets.js';

const FEATURES = 3;
const BATCH = 32;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const data = linearData({ n: 512, features: FEATURES, noise: 0.1, seed: opts.seed });
  k.manualSeed(opts.seed);
  const model = new k.nn.Linear(FEATURES, 1);
  const opt = k.optim.sgd({ lr: 0.1 });
  const step = k.jit(
    ({ x, y }: { x: k.Tensor; y: k.Tensor }) => {
      const loss = k.losses.mse(model.forward(x), y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'linear_regression'),
  );

  // dropLast: every step sees a full batch, so the step compiles once.
  const batches = k.data.loader({ n: data.n, x: data.x, y: data.y }, { batchSize: BATCH, seed: opts.seed, dropLast: true }).forever();
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const { columns } = batches.next().value.batch;
    const { loss } = await step({ x: k.tensor(columns.x, [BATCH, FEATURES]), y: k.tensor(columns.y, [BATCH, 1]) });
    losses.push(loss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, loss.item());
  }

  // The fitted parameters, read back from the device that trained them.
  if (model.bias === undefined) throw new Error('Linear has a bias unless built with { bias: false }');
  const [w, b] = await Promise.all([model.weight.read(), model.bias.read()]);
  let err = Math.abs(b.data[0]! - data.bias[0]!);
  for (let i = 0; i < FEATURES; i++) err = Math.max(err, Math.abs(w.data[i]! - data.weights[i]!));
  step.dispose();
  return { losses, metrics: { 'max |learned - true| weight': err, 'noise variance (best reachable mse)': 0.01 } };
}

if (isMain(import.meta.url)) await runMain({ name: 'linear-regression', defaultSteps: 300, train, logY: true });
