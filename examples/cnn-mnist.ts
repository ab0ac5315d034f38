// Example: a LeNet-style convolutional network on MNIST (NHWC): conv 5×5×6 → batch norm → ReLU →
// max-pool 2 → conv 5×5×16 → batch norm → ReLU → max-pool 2 → 120 → 84 → 10, trained with Adam
// under a cosine-decayed learning rate. In training mode (model.train()) batch norm normalises with
// the batch statistics and updates its running statistics, buffers of the model; the test
// accuracy comes from a `predict` function jitted in eval mode (model.eval()), which normalises
// with those running statistics, on the same weights at a larger batch.
// Run: pnpm exec tsx examples/cnn-mnist.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist } from './lib/datasets.js';
import { accuracy } from './mlp-mnist.js';

export interface CnnOptions extends TrainOptions {
  readonly batch?: number;
  /** Peak learning rate, decayed by a cosine to 2% over the run (default 3e-3). */
  readonly lr?: number;
  /** Evaluate on the first `testLimit` test images (default all 10,000). */
  readonly testLimit?: number;
}

/** LeNet-5 (with ReLU, max pooling and batch norm): images [B, 784] → logits [B, 10]. */
export class LeNet extends k.nn.Module {
  // The convolutions need no bias: the batch norm after each one shifts by its own learned bias.
  readonly conv1 = new k.nn.Conv2d(1, 6, 5, { padding: 'same', bias: false });
  readonly bn1 = new k.nn.BatchNorm(6);
  readonly conv2 = new k.nn.Conv2d(6, 16, 5, { bias: false });
  readonly bn2 = new k.nn.BatchNorm(16);
  readonly pool = new k.nn.MaxPool2d(2);
  readonly flatten = new k.nn.Flatten();
  readonly fc1 = new k.nn.Linear(5 * 5 * 16, 120);
  readonly fc2 = new k.nn.Linear(120, 84);
  readonly fc3 = new k.nn.Linear(84, 10);

  forward(x: k.Tensor): k.Tensor {
    let h = x.reshape([-1, 28, 28, 1]);
    h = this.pool.forward(this.bn1.forward(this.conv1.forward(h)).relu()); // [B, 14, 14, 6]
    h = this.pool.forward(this.bn2.forward(this.conv2.forward(h)).relu()); // [B, 5, 5, 16]
    h = this.fc1.forward(this.flatten.forward(h)).relu();
    return this.fc3.forward(this.fc2.forward(h).relu());
  }
}

export async function train(opts: CnnOptions): Promise<TrainResult> {
  const batch = opts.batch ?? 32;
  k.manualSeed(opts.seed);
  const model = new LeNet();
  const opt = k.optim.adam({ lr: k.optim.cosineDecay(opts.lr ?? 3e-3, { steps: opts.steps, alpha: 0.02 }) });
  const step = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => {
      const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'lenet_train'),
  );
  const predict = k.jit(({ x }: k.Inputs<'x'>) => ({ logits: model.forward(x) }), jitOptions(opts, 'lenet_predict'));

  const trainSet = loadMnist({ split: 'train' });
  const batches = k.data.loader({ n: trainSet.n, x: trainSet.images, y: trainSet.labels }, { batchSize: batch, seed: opts.seed, dropLast: true }).forever();
  const losses: number[] = [];
  model.train();
  for (let s = 1; s <= opts.steps; s++) {
    const { columns } = batches.next().value.batch;
    const { loss } = await step({ x: k.tensor(columns.x, [batch, 784]), y: k.tensor(columns.y, [batch]) });
    losses.push(loss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, loss.item());
  }
  // Eval mode: predict traces batch norm with the running statistics (and updates nothing).
  model.eval();
  const test = loadMnist({ split: 'test', ...(opts.testLimit !== undefined ? { limit: opts.testLimit } : {}) });
  const acc = await accuracy(predict, test);
  step.dispose();
  predict.dispose();
  return { losses, metrics: { [`test accuracy (${test.n} images)`]: acc } };
}

if (isMain(import.meta.url)) await runMain({ name: 'cnn-mnist', defaultSteps: 3000, train });
