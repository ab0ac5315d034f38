// Example: a variational autoencoder on MNIST (Kingma & Welling). The encoder gives μ and log σ²
// of q(z|x); z = μ + σ·ε with ε ~ N(0, I) drawn in the graph from the RNG state (the
// reparameterisation trick); the loss is the negative ELBO per image: Bernoulli reconstruction
// cross-entropy (summed over pixels) + KL(q(z|x) ‖ N(0, I)) = -½ Σ (1 + log σ² − μ² − σ²).
// The evaluation is a second jitted function on the same model, at the size of the test set.
// Run: pnpm exec tsx examples/vae.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { isMain, jitOptions, runMain, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist } from './lib/datasets.js';

const LATENT = 16;
const HIDDEN = 256;

/** The negative ELBO of a batch and its two terms (a type alias, so a jitted function can return it as is). */
export type Elbo = {
  readonly loss: k.Tensor;
  readonly recon: k.Tensor;
  readonly kl: k.Tensor;
};

export class Vae extends k.nn.Module {
  enc = new k.nn.Linear(784, HIDDEN);
  mu = new k.nn.Linear(HIDDEN, LATENT);
  logVar = new k.nn.Linear(HIDDEN, LATENT);
  dec = new k.nn.Linear(LATENT, HIDDEN);
  out = new k.nn.Linear(HIDDEN, 784);

  /** Negative ELBO per image (mean over the batch) and its two terms, for images x [B, 784]. */
  forward(x: k.Tensor): Elbo {
    const [b] = x.shape;
    if (x.rank !== 2 || b === undefined) throw new Error(`VAE expects images x [B, 784], got [${x.shape.join(', ')}]`);
    const h = this.enc.forward(x).relu();
    const mu = this.mu.forward(h);
    const logVar = this.logVar.forward(h);
    // ε from the function's RNG state, which every call advances: fresh noise each step.
    const eps = k.randomNormal(k.randomKey(), [b, LATENT]);
    const z = mu.add(logVar.mul(0.5).exp().mul(eps));
    const logits = this.out.forward(this.dec.forward(z).relu());
    const recon = k.losses.binaryCrossEntropyWithLogits(logits, x).sum(-1).mean();
    const kl = logVar.add(1).sub(mu.square()).sub(logVar.exp()).sum(-1).mul(-0.5).mean();
    return { loss: recon.add(kl), recon, kl };
  }
}

export async function train(opts: TrainOptions & { readonly batch?: number; readonly testLimit?: number }): Promise<TrainResult> {
  const batch = opts.batch ?? 64;
  k.manualSeed(opts.seed);
  const model = new Vae();
  const opt = k.optim.adam({ lr: 1e-3 });
  const step = k.jit(
    ({ x }: { x: k.Tensor }) => {
      const { loss, recon, kl } = model.forward(x);
      return { loss, recon, kl, updates: opt.minimize(loss) };
    },
    jitOptions(opts, 'vae_train'),
  );
  const evaluate = k.jit(({ x }: { x: k.Tensor }) => model.forward(x), jitOptions(opts, 'vae_eval'));

  const trainSet = loadMnist({ split: 'train' });
  const batches = k.data.loader({ n: trainSet.n, x: trainSet.images }, { batchSize: batch, seed: opts.seed, dropLast: true }).forever();
  const losses: number[] = [];
  const kls: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const out = await step({ x: k.tensor(batches.next().value.batch.columns.x, [batch, 784]) });
    losses.push(out.loss.item());
    kls.push(out.kl.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, out.loss.item());
  }
  const test = loadMnist({ split: 'test', limit: opts.testLimit ?? 1000 });
  const out = await evaluate({ x: k.tensor(test.images, [test.n, 784]) });
  step.dispose();
  evaluate.dispose();
  return {
    losses,
    metrics: { [`test negative ELBO, nats per image (${test.n} images)`]: out.loss.item(), 'test reconstruction term': out.recon.item(), 'test KL term': out.kl.item() },
    extraSeries: [{ name: 'KL term', values: kls }],
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'vae', defaultSteps: 1000, train, logY: true });
