// Example: a GAN on the 2-D ring of 8 Gaussians. Generator z (8-d normal, drawn in the graph) → 2-d
// point; discriminator point → logit. One compiled step updates both players simultaneously:
// D minimizes BCE(D(x), 1) + BCE(D(G(z)), 0), G the non-saturating BCE(D(G(z)), 1), each with
// its own Adam (state adam_d.*, adam_g.*) over its own parameters (scopes disc.*, gen.*).
// `losses` is the generator loss; sample quality is tracked as the mean distance of each step's
// generated batch to the nearest mode centre. Run: pnpm exec tsx examples/gan.ts [--steps N]

import * as k from '@kiln/frontend';
import { array, compileWith, isMain, mean, runMain, scalar, type TrainOptions, type TrainResult } from './common.js';
import { gaussianMixture2d } from './lib/datasets.js';

const NOISE = 8;
const WIDTH = 64;

function generator(z: k.Tensor): k.Tensor {
  return k.scope('gen', () => {
    const h = k.nn.linear(k.nn.linear(z, NOISE, WIDTH).relu(), WIDTH, WIDTH).relu();
    return k.nn.linear(h, WIDTH, 2);
  }, { exact: true });
}

function discriminator(x: k.Tensor): k.Tensor {
  return k.scope('disc', () => {
    const h = k.nn.linear(k.nn.linear(x, 2, WIDTH).leakyRelu(0.2), WIDTH, WIDTH).leakyRelu(0.2);
    return k.nn.linear(h, WIDTH, 1).reshape([x.shape[0] ?? 1]);
  }, { exact: true });
}

/** Mean over points of the distance to the nearest centre, and how many modes got ≥ 2% of the points within 0.5. */
export function sampleQuality(points: ArrayLike<number>, centers: ArrayLike<number>): { distance: number; modes: number } {
  const m = centers.length / 2;
  const hits = new Array<number>(m).fill(0);
  const n = points.length / 2;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let arg = 0;
    for (let j = 0; j < m; j++) {
      const d = Math.hypot(points[2 * i]! - centers[2 * j]!, points[2 * i + 1]! - centers[2 * j + 1]!);
      if (d < best) [best, arg] = [d, j];
    }
    total += best;
    if (best < 0.5) hits[arg]!++;
  }
  return { distance: total / n, modes: hits.filter((h) => h >= 0.02 * n).length };
}

export async function train(opts: TrainOptions & { readonly batch?: number }): Promise<TrainResult> {
  const batch = opts.batch ?? 64;
  const data = gaussianMixture2d({ n: 4096, modes: 8, radius: 2, std: 0.05, seed: opts.seed });
  const traced = k.trace(({ x }) => {
    const fake = generator(k.randomNormal(k.randomKey(), [batch, NOISE]));
    const logits = discriminator(k.concat([x, fake], 0));
    const [real, forged] = logits.split(2, 0) as [k.Tensor, k.Tensor];
    const bce = k.losses.binaryCrossEntropyWithLogits;
    const dLoss = bce(real, 1, { reduction: 'mean' }).add(bce(forged, 0, { reduction: 'mean' }));
    const gLoss = bce(forged, 1, { reduction: 'mean' });
    const betas = { lr: 1e-3, beta1: 0.5, beta2: 0.999 };
    const updates = {
      ...k.optim.adam({ ...betas, name: 'adam_d' }).minimize(dLoss, { params: (n) => n.startsWith('disc.') }),
      ...k.optim.adam({ ...betas, name: 'adam_g' }).minimize(gLoss, { params: (n) => n.startsWith('gen.') }),
    };
    return { gLoss, dLoss, fake, updates };
  }, { x: k.f32([batch, 2]) }, { name: 'gan_train' });
  const step = await compileWith(traced, opts);
  const rng = k.data.Rng.fromSeed(opts.seed + 1);
  const x = new Float32Array(batch * 2);
  const losses: number[] = [];
  const dLosses: number[] = [];
  const distances: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    for (let i = 0; i < batch; i++) {
      const r = rng.int(data.n);
      x[2 * i] = data.points[2 * r]!;
      x[2 * i + 1] = data.points[2 * r + 1]!;
    }
    const out = await step.run({ x });
    losses.push(scalar(out, 'gLoss'));
    dLosses.push(scalar(out, 'dLoss'));
    distances.push(sampleQuality(array(out, 'fake'), data.centers).distance);
    opts.onStep?.(s, losses[s - 1]!);
  }
  const sampler = k.trace(() => ({ points: generator(k.randomNormal(k.randomKey(), [1000, NOISE])) }), {}, { name: 'gan_sample' });
  const sampleStep = await compileWith(sampler, opts, await step.params());
  const q = sampleQuality(array(await sampleStep.run({}), 'points'), data.centers);
  step.dispose();
  sampleStep.dispose();
  return {
    losses,
    metrics: {
      'sample distance to nearest mode, first 10 steps': mean(distances.slice(0, 10)),
      'sample distance to nearest mode, last 10 steps': mean(distances.slice(-10)),
      'final: mean distance of 1000 samples': q.distance,
      'final: modes covered (of 8)': q.modes,
    },
    extraSeries: [{ name: 'discriminator loss', values: dLosses }, { name: 'sample distance to nearest mode', values: distances }],
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'gan', defaultSteps: 5000, train, lossName: 'generator loss' });
