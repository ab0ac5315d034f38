// Example: a fully connected autoencoder on MNIST (784 → 128 → 32 → 128 → 784) trained with Adam on
// the per-pixel sigmoid cross-entropy of the reconstruction; reports the test reconstruction loss.
// Run: pnpm exec tsx examples/autoencoder.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { compileWith, cycleBatches, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist } from './lib/datasets.js';

const CODE = 32;

/** Per-pixel BCE of the reconstruction of x [B, 784], and the code. */
export function autoencoder(x: k.Tensor): { loss: k.Tensor; code: k.Tensor } {
  const code = k.nn.linear(k.nn.linear(x, 784, 128, { name: 'enc1' }).relu(), 128, CODE, { name: 'enc2' });
  const logits = k.nn.linear(k.nn.linear(code, CODE, 128, { name: 'dec1' }).relu(), 128, 784, { name: 'dec2' });
  return { loss: k.losses.binaryCrossEntropyWithLogits(logits, x, { reduction: 'mean' }), code };
}

export async function train(opts: TrainOptions & { readonly batch?: number; readonly testLimit?: number }): Promise<TrainResult> {
  const batch = opts.batch ?? 64;
  const traced = k.trace(({ x }) => {
    const { loss } = autoencoder(x);
    return { loss, updates: k.optim.adam({ lr: 2e-3 }).minimize(loss) };
  }, { x: k.f32([batch, 784]) }, { name: 'autoencoder_train' });
  const step = await compileWith(traced, opts);
  const trainSet = loadMnist({ split: 'train' });
  const batches = cycleBatches({ n: trainSet.n, x: trainSet.images }, batch, opts.seed);
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    losses.push(scalar(await step.run({ x: batches.next().value.columns.x }), 'loss'));
    opts.onStep?.(s, losses[s - 1]!);
  }
  const evalN = opts.testLimit ?? 1000;
  const evalGraph = k.trace(({ x }) => ({ loss: autoencoder(x).loss }), { x: k.f32([evalN, 784]) }, { name: 'autoencoder_eval' });
  const evalStep = await compileWith(evalGraph, opts, await step.params());
  const test = loadMnist({ split: 'test', limit: evalN });
  const testLoss = scalar(await evalStep.run({ x: test.images }), 'loss');
  step.dispose();
  evalStep.dispose();
  return { losses, metrics: { [`test reconstruction BCE per pixel (${evalN} images)`]: testLoss } };
}

if (isMain(import.meta.url)) await runMain({ name: 'autoencoder', defaultSteps: 1000, train });
