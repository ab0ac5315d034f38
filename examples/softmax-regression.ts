// Example: softmax (multinomial logistic) regression on the Iris flowers: 4 standardised features,
// 3 classes, full-batch gradient descent on the cross-entropy; accuracy on a held-out 20%.
// Run: pnpm exec tsx examples/softmax-regression.ts

import * as k from '@kiln/frontend';
import { argmaxAt, compileWith, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { loadIris } from './lib/datasets.js';

const CLASSES = 3;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const iris = loadIris();
  const split = k.data.trainTestSplit(iris.n, 0.2, opts.seed);
  const { data: features } = k.data.standardize(iris.features, 4, split.train);
  const trainSet = k.data.selectRows({ n: iris.n, x: features, y: iris.labels }, split.train);
  const traced = k.trace(({ x, y }) => {
    const logits = k.nn.linear(x, 4, CLASSES);
    const loss = k.losses.softmaxCrossEntropy(logits, y, { reduction: 'mean' });
    return { loss, updates: k.optim.sgd({ lr: 0.5 }).minimize(loss) };
  }, { x: k.f32([trainSet.n, 4]), y: k.i32([trainSet.n]) }, { name: 'softmax_regression' });
  const step = await compileWith(traced, opts);
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    losses.push(scalar(await step.run({ x: trainSet.x, y: trainSet.y }), 'loss'));
    opts.onStep?.(s, losses[s - 1]!);
  }
  const w = await step.getParam('linear0.w');
  const b = await step.getParam('linear0.b');
  const accuracy = (rows: Uint32Array): number => {
    let hits = 0;
    for (const r of rows) {
      const logits = Array.from({ length: CLASSES }, (_, c) => b[c]! + [0, 1, 2, 3].reduce((acc, f) => acc + features[r * 4 + f]! * w[f * CLASSES + c]!, 0));
      if (argmaxAt(logits, 0, CLASSES) === iris.labels[r]) hits++;
    }
    return hits / rows.length;
  };
  step.dispose();
  return { losses, metrics: { 'train accuracy': accuracy(split.train), 'test accuracy (30 flowers)': accuracy(split.test) } };
}

if (isMain(import.meta.url)) await runMain({ name: 'softmax-regression', defaultSteps: 200, train });
