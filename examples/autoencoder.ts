// Example: a fully connected autoencoder on MNIST (784 → 128 → 32 → 128 → 784) trained with Adam on
// the per-pixel sigmoid cross-entropy of the reconstruction; reports the test reconstruction loss
// from a second jitted function on the same model, at the size of the test set.
// Run: pnpm exec tsx examples/autoencoder.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist } from './lib/datasets.js';

const CODE = 32;

export class Autoencoder extends k.nn.Module {
  enc1 = new k.nn.Linear(784, 128);
  enc2 = new k.nn.Linear(128, CODE);
  dec1 = new k.nn.Linear(CODE, 128);
  dec2 = new k.nn.Linear(128, 784);

  /** The code [B, 32] of images x [B, 784]. */
  encode(x: k.Tensor): k.Tensor {
    return this.enc2.forward(this.enc1.forward(x).relu());
  }

  /** Reconstruction logits [B, 784] (sigmoid gives the pixels). */
  forward(x: k.Tensor): k.Tensor {
    return this.dec2.forward(this.dec1.forward(this.encode(x)).relu());
  }
}

/** Mean per-pixel BCE of the reconstruction of x [B, 784]: the pixels in [0, 1] are the targets. */
export function reconstructionLoss(model: Autoencoder, x: k.Tensor): k.Tensor {
  return k.losses.binaryCrossEntropyWithLogits(model.forward(x), x, { reduction: 'mean' });
}

export async function train(opts: TrainOptions & { readonly batch?: number; readonly testLimit?: number }): Promise<TrainResult> {
  const batch = opts.batch ?? 64;
  k.manualSeed(opts.seed);
  const model = new Autoencoder();
  const opt = k.optim.adam({ lr: 2e-3 });
  const step = k.jit(
    ({ x }: { x: k.Tensor }) => {
      const loss = reconstructionLoss(model, x);
      return { loss, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'autoencoder_train'),
  );
  const evaluate = k.jit(({ x }: { x: k.Tensor }) => ({ loss: reconstructionLoss(model, x) }), jitOptions(opts, 'autoencoder_eval'));

  const trainSet = loadMnist({ split: 'train' });
  const batches = k.data.loader({ n: trainSet.n, x: trainSet.images }, { batchSize: batch, seed: opts.seed, dropLast: true }).forever();
  const losses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const { loss } = await step({ x: k.tensor(batches.next().value.batch.columns.x, [batch, 784]) });
    losses.push(loss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, loss.item());
  }
  // The whole evaluation set in one call: a mean over every image, no batching on the host.
  const test = loadMnist({ split: 'test', limit: opts.testLimit ?? 1000 });
  const { loss: testLoss } = await evaluate({ x: k.tensor(test.images, [test.n, 784]) });
  step.dispose();
  evaluate.dispose();
  return { losses, metrics: { [`test reconstruction BCE per pixel (${test.n} images)`]: testLoss.item() } };
}

if (isMain(import.meta.url)) await runMain({ name: 'autoencoder', defaultSteps: 1000, train });
