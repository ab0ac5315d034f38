// Example: softmax (multinomial logistic) regression on the Iris flowers: 4 standardised features,
// 3 classes, one k.nn.Linear trained by full-batch gradient descent on the cross-entropy; accuracy
// on the training rows and on a held-out 20%, from one jitted function on the same model.
// Run: pnpm exec tsx examples/softmax-regression.ts

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { loadIris, type IrisDataset } from './lib/datasets.js';

const FEATURES = 4;
const CLASSES = 3;

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const iris = loadIris();
  const split = k.data.trainTestSplit(iris.n, 0.2, opts.seed);
  // Statistics from the training rows only, so the test rows stay unseen.
  const { data: features } = k.data.standardize(iris.features, FEATURES, split.train);
  const all: Pick<IrisDataset, 'n' | 'features' | 'labels'> = { n: iris.n, features, labels: iris.labels };
  const trainSet = k.data.selectRows(all, split.train);
  const testSet = k.data.selectRows(all, split.test);
  const inputs = (set: typeof all): { x: k.HostTensor; y: k.HostTensor } => ({ x: k.tensor(set.features, [set.n, FEATURES]), y: k.tensor(set.labels, [set.n]) });

  k.manualSeed(opts.seed);
  const model = new k.nn.Linear(FEATURES, CLASSES);
  const opt = k.optim.sgd({ lr: 0.5 });
  const step = k.jit(
    ({ x, y }: { x: k.Tensor; y: k.Tensor }) => {
      const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'softmax_regression'),
  );
  // One function for both splits: it specialises once per row count (120 and 30).
  const evaluate = k.jit(({ x, y }: { x: k.Tensor; y: k.Tensor }) => ({ accuracy: model.forward(x).argmax(-1).eq(y).mean() }), jitOptions(opts, 'softmax_eval'));

  const batch = inputs(trainSet);
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const { loss } = await step(batch);
    losses.push(loss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, loss.item());
  }
  const trainAcc = (await evaluate(inputs(trainSet))).accuracy.item();
  const testAcc = (await evaluate(inputs(testSet))).accuracy.item();
  step.dispose();
  evaluate.dispose();
  return { losses, metrics: { 'train accuracy': trainAcc, [`test accuracy (${testSet.n} flowers)`]: testAcc } };
}

if (isMain(import.meta.url)) await runMain({ name: 'softmax-regression', defaultSteps: 200, train });
