// The MLP training run that the browser tests repeat in the page and mlp-reference.ts runs in
// Node: the model API (a k.nn.Module, k.jit, Adam), fixed seed and data, the loss of each step.

import * as kiln from '@kiln/frontend';

/** The Kiln API the run uses: the workspace sources, or a built bundle with the same exports. */
export type Kiln = typeof kiln;

export const STEPS = 8;

/** Deterministic rows (Kiln's seeded data generator) and labels (argmax of the first four features). */
function data(k: Kiln, n: number, seed: number): { x: kiln.HostTensor; y: kiln.HostTensor } {
  const rng = k.data.rngFrom(seed);
  const xs = Float32Array.from({ length: n * 16 }, () => rng.uniform(-0.5, 0.5));
  const ys = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let j = 1; j < 4; j++) if (xs[r * 16 + j]! > xs[r * 16 + best]!) best = j;
    ys[r] = best;
  }
  return { x: k.tensor(xs, [n, 16]), y: k.tensor(ys, [n]) };
}

export interface MlpRun {
  readonly losses: number[];
  readonly backend: 'cpu' | 'webgpu' | undefined;
  readonly backendReason: string | undefined;
}

/** STEPS Adam steps on one batch of 64 from a fresh model seeded the same way every time. */
export async function trainMlp(opts: { readonly backend?: kiln.BackendChoice; readonly device?: GPUDevice }, k: Kiln = kiln): Promise<MlpRun> {
  class Mlp extends k.nn.Module {
    fc1 = new k.nn.Linear(16, 32);
    fc2 = new k.nn.Linear(32, 4);
    forward(x: kiln.Tensor): kiln.Tensor {
      return this.fc2.forward(this.fc1.forward(x).relu());
    }
  }
  k.manualSeed(11);
  const model = new Mlp();
  const opt = k.optim.adam({ lr: 1e-2 });
  const step = k.jit(({ x, y }: kiln.Inputs<'x' | 'y'>) => {
    const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
    return { loss, updates: opt.minimize(loss) };
  }, opts);
  const batch = data(k, 64, 1);
  const losses: number[] = [];
  for (let i = 0; i < STEPS; i++) losses.push((await step(batch)).loss.item());
  return { losses, backend: step.backend, backendReason: step.backendReason };
}

/** What Node computed (mlp-reference.ts), handed to the page by the global setup. */
export interface MlpReference {
  readonly webgpu: MlpRun;
  readonly cpu: MlpRun;
}

export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return Infinity;
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}
