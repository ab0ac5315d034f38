// Example: a multilayer perceptron (784-256-10, ReLU) on MNIST digits, trained with Adam on the
// softmax cross-entropy with a cosine-decayed learning rate; test accuracy from a separate forward-only graph that shares the
// parameter names. Run: pnpm exec tsx examples/mlp-mnist.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { argmaxAt, array, compileWith, cycleBatches, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist, type MnistDataset } from './lib/datasets.js';

export interface MlpOptions extends TrainOptions {
  readonly batch?: number;
  readonly hidden?: number;
  readonly lr?: number;
  /** Evaluate on the first `testLimit` test images (default all 10,000). */
  readonly testLimit?: number;
}

/** The model: logits [B, 10] for images [B, 784]. */
export function mlp(x: k.Tensor, hidden: number): k.Tensor {
  const h = k.nn.linear(x, 784, hidden).relu();
  return k.nn.linear(h, hidden, 10);
}

/** The training step: Adam on the mean softmax cross-entropy, lr decayed by a cosine over `steps` to 5%. */
export function trainGraph(batch: number, hidden: number, lr: number, steps: number): k.Traced {
  const schedule = k.optim.cosineDecay(lr, { steps, alpha: 0.05 });
  return k.trace(({ x, y }) => {
    const loss = k.losses.softmaxCrossEntropy(mlp(x, hidden), y, { reduction: 'mean' });
    return { loss, updates: k.optim.adam({ lr: schedule }).minimize(loss) };
  }, { x: k.f32([batch, 784]), y: k.i32([batch]) }, { name: 'mlp_train' });
}

/** Accuracy of `classify` (a forward-only graph with a `logits` output) over a dataset. */
export async function accuracy(step: k.Step, data: MnistDataset, batch: number, limit = data.n): Promise<number> {
  const n = Math.floor(Math.min(limit, data.n) / batch) * batch;
  let hits = 0;
  for (let start = 0; start < n; start += batch) {
    const logits = array(await step.run({ x: data.images.subarray(start * 784, (start + batch) * 784) }), 'logits');
    for (let i = 0; i < batch; i++) if (argmaxAt(logits, i * 10, 10) === data.labels[start + i]) hits++;
  }
  return hits / n;
}

export async function train(opts: MlpOptions): Promise<TrainResult> {
  const batch = opts.batch ?? 128;
  const hidden = opts.hidden ?? 256;
  const trainSet = loadMnist({ split: 'train' });
  const step = await compileWith(trainGraph(batch, hidden, opts.lr ?? 2e-3, opts.steps), opts);
  const losses: number[] = [];
  const batches = cycleBatches({ n: trainSet.n, x: trainSet.images, y: trainSet.labels }, batch, opts.seed);
  for (let s = 1; s <= opts.steps; s++) {
    const b = batches.next().value;
    losses.push(scalar(await step.run({ x: b.columns.x, y: b.columns.y }), 'loss'));
    opts.onStep?.(s, losses[s - 1]!);
  }
  const evalBatch = 500;
  const classify = k.trace(({ x }) => ({ logits: mlp(x, hidden) }), { x: k.f32([evalBatch, 784]) }, { name: 'mlp_eval' });
  const evalStep = await compileWith(classify, opts, await step.params());
  const test = loadMnist({ split: 'test' });
  const acc = await accuracy(evalStep, test, evalBatch, opts.testLimit);
  step.dispose();
  evalStep.dispose();
  return { losses, metrics: { [`test accuracy (${Math.min(opts.testLimit ?? test.n, test.n)} images)`]: acc } };
}

if (isMain(import.meta.url)) await runMain({ name: 'mlp-mnist', defaultSteps: 2500, train });
