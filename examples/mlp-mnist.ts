// Example: a multilayer perceptron (784-256-10, ReLU) on MNIST digits, trained with Adam on the
// softmax cross-entropy with a cosine-decayed learning rate; the test accuracy comes from a
// `predict` function jitted over the same model (its weights never leave the device), at a larger
// batch. Run: pnpm exec tsx examples/mlp-mnist.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { argmaxAt, isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist, type MnistDataset } from './lib/datasets.js';

export interface MlpOptions extends TrainOptions {
  readonly batch?: number;
  readonly hidden?: number;
  readonly lr?: number;
  /** Evaluate on the first `testLimit` test images (default all 10,000). */
  readonly testLimit?: number;
}

/** The model: logits [B, 10] for images [B, 784]. */
export class Mlp extends k.nn.Module {
  readonly fc1: k.nn.Linear;
  readonly fc2: k.nn.Linear;

  constructor(hidden = 256) {
    super();
    this.fc1 = new k.nn.Linear(784, hidden);
    this.fc2 = new k.nn.Linear(hidden, 10);
  }

  forward(x: k.Tensor): k.Tensor {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

/** The mean softmax cross-entropy of the model on images x [B, 784] with labels y [B]. */
export function mnistLoss(model: Mlp, x: k.Tensor, y: k.Tensor): k.Tensor {
  return k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
}

/** The training step: Adam on the loss, lr decayed by a cosine over `steps` to 5%. */
export function trainStep(model: Mlp, lr: number, steps: number, opts: k.JitOptions) {
  const opt = k.optim.adam({ lr: k.optim.cosineDecay(lr, { steps, alpha: 0.05 }) });
  return k.jit(({ x, y }: { x: k.Tensor; y: k.Tensor }) => {
    const loss = mnistLoss(model, x, y);
    return { loss, updates: opt.minimize(loss) };
  }, opts);
}

/** Logits for a batch of images, of any batch size (each new size compiles once). */
export type Predict = (inputs: { x: k.HostTensor }) => Promise<{ readonly logits: k.HostTensor }>;

/**
 * Accuracy of `predict` over a dataset, `batch` images per call; the last, partial batch is
 * evaluated too (it compiles one more specialization), so every image counts.
 */
export async function accuracy(predict: Predict, data: MnistDataset, batch = 1000): Promise<number> {
  let hits = 0;
  for (const b of k.data.loader({ n: data.n, x: data.images, y: data.labels }, { batchSize: batch, shuffle: false }).epoch(0)) {
    const { logits } = await predict({ x: k.tensor(b.columns.x, [b.size, 784]) });
    for (let i = 0; i < b.size; i++) if (argmaxAt(logits.data, i * 10, 10) === b.columns.y[i]) hits++;
  }
  return hits / data.n;
}

export async function train(opts: MlpOptions): Promise<TrainResult> {
  const batch = opts.batch ?? 128;
  k.manualSeed(opts.seed);
  const model = new Mlp(opts.hidden ?? 256);
  const step = trainStep(model, opts.lr ?? 2e-3, opts.steps, jitOptions(opts, 'mlp_train'));
  const predict = k.jit(({ x }: { x: k.Tensor }) => ({ logits: model.forward(x) }), jitOptions(opts, 'mlp_predict'));

  const trainSet = loadMnist({ split: 'train' });
  const batches = k.data.loader({ n: trainSet.n, x: trainSet.images, y: trainSet.labels }, { batchSize: batch, seed: opts.seed, dropLast: true }).forever();
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const { columns } = batches.next().value.batch;
    const { loss } = await step({ x: k.tensor(columns.x, [batch, 784]), y: k.tensor(columns.y, [batch]) });
    losses.push(loss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, loss.item());
  }
  const test = loadMnist({ split: 'test', ...(opts.testLimit !== undefined ? { limit: opts.testLimit } : {}) });
  const acc = await accuracy(predict, test);
  step.dispose();
  predict.dispose();
  return { losses, metrics: { [`test accuracy (${test.n} images)`]: acc } };
}

if (isMain(import.meta.url)) await runMain({ name: 'mlp-mnist', defaultSteps: 2500, train });
