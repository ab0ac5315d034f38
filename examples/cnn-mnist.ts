// Example: a LeNet-style convolutional network on MNIST (NHWC): conv 5×5×6 → batch norm → ReLU →
// max-pool 2 → conv 5×5×16 → batch norm → ReLU → max-pool 2 → 120 → 84 → 10, trained with Adam.
// The training graph normalises with batch statistics and updates the running statistics; the
// test graph (training: false) uses them. Run: pnpm exec tsx examples/cnn-mnist.ts [--steps N]

import * as k from '@kiln/frontend';
import { array, compileWith, cycleBatches, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist } from './lib/datasets.js';
import { accuracy, type Predict } from './mlp-mnist.js';

export interface CnnOptions extends TrainOptions {
  readonly batch?: number;
  /** Peak learning rate, decayed by a cosine to 2% over the run (default 3e-3). */
  readonly lr?: number;
  /** Evaluate on the first `testLimit` test images (default all 10,000). */
  readonly testLimit?: number;
}

/** LeNet-5 (with ReLU, max pooling and batch norm): images [B, 784] → logits [B, 10]. */
export function lenet(x: k.Tensor, training: boolean): k.Tensor {
  const b = x.shape[0] ?? 1;
  let h = x.reshape([b, 28, 28, 1]);
  h = k.maxPool2d(k.layers.batchNorm(k.nn.conv2d(h, 1, 6, 5, { padding: 'same', bias: false }), { training }).relu(), 2); // [B, 14, 14, 6]
  h = k.maxPool2d(k.layers.batchNorm(k.nn.conv2d(h, 6, 16, 5, { bias: false }), { training }).relu(), 2); // [B, 5, 5, 16]
  h = h.reshape([b, 5 * 5 * 16]);
  h = k.nn.linear(h, 400, 120).relu();
  h = k.nn.linear(h, 120, 84).relu();
  return k.nn.linear(h, 84, 10);
}

export async function train(opts: CnnOptions): Promise<TrainResult> {
  const batch = opts.batch ?? 32;
  const lr = k.optim.cosineDecay(opts.lr ?? 3e-3, { steps: opts.steps, alpha: 0.02 });
  const traced = k.trace(({ x, y }) => {
    const loss = k.losses.softmaxCrossEntropy(lenet(x, true), y, { reduction: 'mean' });
    return { loss, updates: k.optim.adam({ lr }).minimize(loss) };
  }, { x: k.f32([batch, 784]), y: k.i32([batch]) }, { name: 'lenet_train' });
  const step = await compileWith(traced, opts);
  const trainSet = loadMnist({ split: 'train' });
  const batches = cycleBatches({ n: trainSet.n, x: trainSet.images, y: trainSet.labels }, batch, opts.seed);
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const b = batches.next().value;
    losses.push(scalar(await step.run({ x: b.columns.x, y: b.columns.y }), 'loss'));
    opts.onStep?.(s, losses[s - 1]!);
  }
  const evalBatch = 250;
  const classify = k.trace(({ x }) => ({ logits: lenet(x, false) }), { x: k.f32([evalBatch, 784]) }, { name: 'lenet_eval' });
  const evalStep = await compileWith(classify, opts, await step.params());
  // The eval graph has a fixed batch (its functional layers' weights are copied in, not shared), so
  // it sees whole batches only, as before the examples moved to k.jit.
  const predict: Predict = async ({ x }) => ({ logits: k.tensor(array(await evalStep.run({ x: x.data }), 'logits'), [evalBatch, 10]) });
  const all = loadMnist({ split: 'test' }).n;
  const limit = Math.floor(Math.min(opts.testLimit ?? all, all) / evalBatch) * evalBatch;
  const acc = await accuracy(predict, loadMnist({ split: 'test', limit }), evalBatch);
  step.dispose();
  evalStep.dispose();
  return { losses, metrics: { [`test accuracy (${limit} images)`]: acc } };
}

if (isMain(import.meta.url)) await runMain({ name: 'cnn-mnist', defaultSteps: 3000, train });
