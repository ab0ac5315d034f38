// Example: a variational autoencoder on MNIST (Kingma & Welling). The encoder gives μ and log σ²
// of q(z|x); z = μ + σ·ε with ε ~ N(0, I) drawn in the graph from the RNG state (the
// reparameterisation trick); the loss is the negative ELBO per image: Bernoulli reconstruction
// cross-entropy (summed over pixels) + KL(q(z|x) ‖ N(0, I)) = -½ Σ (1 + log σ² − μ² − σ²).
// Run: pnpm exec tsx examples/vae.ts [--steps N] [--plot loss.svg]

import * as k from '@kiln/frontend';
import { compileWith, cycleBatches, isMain, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { loadMnist } from './lib/datasets.js';

const LATENT = 16;
const HIDDEN = 256;

/** Negative ELBO per image (mean over the batch) and its two terms, for images x [B, 784]. */
export function vae(x: k.Tensor): { loss: k.Tensor; recon: k.Tensor; kl: k.Tensor } {
  const b = x.shape[0] ?? 1;
  const h = k.nn.linear(x, 784, HIDDEN, { name: 'enc' }).relu();
  const mu = k.nn.linear(h, HIDDEN, LATENT, { name: 'mu' });
  const logVar = k.nn.linear(h, HIDDEN, LATENT, { name: 'logvar' });
  const eps = k.randomNormal(k.randomKey(), [b, LATENT]);
  const z = mu.add(logVar.mul(0.5).exp().mul(eps));
  const logits = k.nn.linear(k.nn.linear(z, LATENT, HIDDEN, { name: 'dec' }).relu(), HIDDEN, 784, { name: 'out' });
  const recon = k.losses.binaryCrossEntropyWithLogits(logits, x).sum(-1).mean();
  const kl = logVar.add(1).sub(mu.square()).sub(logVar.exp()).sum(-1).mul(-0.5).mean();
  return { loss: recon.add(kl), recon, kl };
}

export async function train(opts: TrainOptions & { readonly batch?: number; readonly testLimit?: number }): Promise<TrainResult> {
  const batch = opts.batch ?? 64;
  const traced = k.trace(({ x }) => {
    const { loss, recon, kl } = vae(x);
    return { loss, recon, kl, updates: k.optim.adam({ lr: 1e-3 }).minimize(loss) };
  }, { x: k.f32([batch, 784]) }, { name: 'vae_train' });
  const step = await compileWith(traced, opts);
  const trainSet = loadMnist({ split: 'train' });
  const batches = cycleBatches({ n: trainSet.n, x: trainSet.images }, batch, opts.seed);
  const losses: number[] = [];
  const kls: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    const out = await step.run({ x: batches.next().value.columns.x });
    losses.push(scalar(out, 'loss'));
    kls.push(scalar(out, 'kl'));
    opts.onStep?.(s, losses[s - 1]!);
  }
  const evalN = opts.testLimit ?? 1000;
  const evalGraph = k.trace(({ x }) => vae(x), { x: k.f32([evalN, 784]) }, { name: 'vae_eval' });
  const evalStep = await compileWith(evalGraph, opts, await step.params());
  const out = await evalStep.run({ x: loadMnist({ split: 'test', limit: evalN }).images });
  step.dispose();
  evalStep.dispose();
  return {
    losses,
    metrics: { [`test negative ELBO, nats per image (${evalN} images)`]: scalar(out, 'loss'), 'test reconstruction term': scalar(out, 'recon'), 'test KL term': scalar(out, 'kl') },
    extraSeries: [{ name: 'KL term', values: kls }],
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'vae', defaultSteps: 1000, train, logY: true });
