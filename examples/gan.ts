// Example: a GAN on the 2-D ring of 8 Gaussians. Generator z (8-d normal, drawn in the graph) → 2-d
// point; discriminator point → logit. One jitted step updates both players simultaneously:
// D minimizes BCE(D(x), 1) + BCE(D(G(z)), 0), G the non-saturating BCE(D(G(z)), 1), each with
// its own Adam (state adam_d.*, adam_g.*) over its own module's parameters.
// `losses` is the generator loss; sample quality is the mean distance of 1000 generated points to
// the nearest mode centre, measured by a second jitted function on the same generator before and
// after training. Run: pnpm exec tsx examples/gan.ts [--steps N]

import * as k from '@kiln/frontend';
import { isMain, jitOptions, mean, runMain, type TrainOptions, type TrainResult } from './common.js';
import { gaussianMixture2d } from './lib/datasets.js';

const NOISE = 8;
const WIDTH = 64;
const SAMPLES = 1000;

export class Generator extends k.nn.Module {
  net = new k.nn.Sequential(new k.nn.Linear(NOISE, WIDTH), new k.nn.ReLU(), new k.nn.Linear(WIDTH, WIDTH), new k.nn.ReLU(), new k.nn.Linear(WIDTH, 2));

  /** `n` points, from noise drawn with the function's RNG state (fresh at every call). */
  forward(n: number): k.Tensor {
    return this.net.forward(k.randomNormal(k.randomKey(), [n, NOISE]));
  }
}

export class Discriminator extends k.nn.Module {
  net = new k.nn.Sequential(new k.nn.Linear(2, WIDTH), new k.nn.LeakyReLU(0.2), new k.nn.Linear(WIDTH, WIDTH), new k.nn.LeakyReLU(0.2), new k.nn.Linear(WIDTH, 1));

  /** One logit per point of x [B, 2]. */
  forward(x: k.Tensor): k.Tensor {
    return this.net.forward(x).reshape([-1]);
  }
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
  k.manualSeed(opts.seed);
  const gen = new Generator();
  const disc = new Discriminator();
  const betas = { lr: 1e-3, beta1: 0.5, beta2: 0.999 };
  const adamD = k.optim.adam({ ...betas, name: 'adam_d' });
  const adamG = k.optim.adam({ ...betas, name: 'adam_g' });
  const bce = k.losses.binaryCrossEntropyWithLogits;
  const step = k.jit(
    ({ x }: { x: k.Tensor }) => {
      const fake = gen.forward(batch);
      const [real, forged] = disc.forward(k.concat([x, fake], 0)).split(2, 0) as [k.Tensor, k.Tensor];
      const dLoss = bce(real, 1, { reduction: 'mean' }).add(bce(forged, 0, { reduction: 'mean' }));
      const gLoss = bce(forged, 1, { reduction: 'mean' });
      const updates = { ...adamD.minimize(dLoss, { params: disc.parameters() }), ...adamG.minimize(gLoss, { params: gen.parameters() }) };
      return { gLoss, dLoss, updates };
    },
    jitOptions(opts, 'gan_train'),
  );
  const sample = k.jit(() => ({ points: gen.forward(SAMPLES) }), jitOptions(opts, 'gan_sample'));
  const quality = async (): Promise<{ distance: number; modes: number }> => sampleQuality((await sample({})).points.data, data.centers);

  const before = await quality();
  const rng = k.data.Rng.fromSeed(opts.seed + 1);
  const x = new Float32Array(batch * 2);
  const losses: number[] = [];
  const dLosses: number[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    for (let i = 0; i < batch; i++) {
      const r = rng.int(data.n);
      x[2 * i] = data.points[2 * r]!;
      x[2 * i + 1] = data.points[2 * r + 1]!;
    }
    const out = await step({ x: k.tensor(x, [batch, 2]) });
    losses.push(out.gLoss.item());
    dLosses.push(out.dLoss.item());
    if (s === 1) opts.onFirstStep?.(step);
    opts.onStep?.(s, out.gLoss.item());
  }
  const after = await quality();
  step.dispose();
  sample.dispose();
  return {
    losses,
    metrics: {
      [`before training: mean distance of ${SAMPLES} samples to the nearest mode`]: before.distance,
      [`after training: mean distance of ${SAMPLES} samples to the nearest mode`]: after.distance,
      'after training: modes covered (of 8)': after.modes,
      'discriminator loss, last 10% of steps': mean(dLosses.slice(-Math.max(1, Math.floor(dLosses.length / 10)))),
    },
    extraSeries: [{ name: 'discriminator loss', values: dLosses }],
  };
}

if (isMain(import.meta.url)) await runMain({ name: 'gan', defaultSteps: 5000, train, lossName: 'generator loss' });
