// Example support: seeded synthetic datasets for the small models (regression, classification, GAN).
// Each generator is a pure function of its options: same seed, same bytes. Row-major typed arrays,
// shaped like the real loaders so `k.data.batches` takes them directly.

import * as kiln from '@kiln/frontend';

export interface LinearOptions {
  readonly n: number;
  readonly features?: number;
  readonly outputs?: number;
  /** Std of the Gaussian noise added to y. */
  readonly noise?: number;
  readonly seed: number;
}

export interface LinearDataset {
  readonly n: number;
  /** n × features, standard normal. */
  readonly x: Float32Array;
  /** n × outputs: x · weights + bias + noise. */
  readonly y: Float32Array;
  /** The ground truth a fitted model should recover: features × outputs and outputs. */
  readonly weights: Float32Array;
  readonly bias: Float32Array;
}

export function linearData(options: LinearOptions): LinearDataset {
  const { n, features = 1, outputs = 1, noise = 0.1, seed } = options;
  const rng = kiln.data.Rng.fromSeed(seed);
  const weights = Float32Array.from({ length: features * outputs }, () => rng.normal());
  const bias = Float32Array.from({ length: outputs }, () => rng.normal());
  const x = Float32Array.from({ length: n * features }, () => rng.normal());
  const y = new Float32Array(n * outputs);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < outputs; o++) {
      let acc = bias[o]!;
      for (let f = 0; f < features; f++) acc += x[i * features + f]! * weights[f * outputs + o]!;
      y[i * outputs + o] = acc + noise * rng.normal();
    }
  }
  return { n, x, y, weights, bias };
}

export interface ClassificationDataset {
  readonly n: number;
  /** n × dim points. */
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly numClasses: number;
}

/** Two interleaving half circles (class 0 above, class 1 below), alternating labels, Gaussian jitter. */
export function twoMoons(options: { readonly n: number; readonly noise?: number; readonly seed: number }): ClassificationDataset {
  const { n, noise = 0.1, seed } = options;
  const rng = kiln.data.Rng.fromSeed(seed);
  const x = new Float32Array(n * 2);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const t = Math.PI * rng.float();
    const [px, py] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    x[2 * i] = px + noise * rng.normal();
    x[2 * i + 1] = py + noise * rng.normal();
    labels[i] = label;
  }
  return { n, x, labels, numClasses: 2 };
}

export interface BlobsOptions {
  readonly n: number;
  readonly centers?: number;
  readonly dim?: number;
  /** Std of each blob around its center. */
  readonly std?: number;
  /** Centers are drawn uniformly from [-spread, spread]^dim. */
  readonly spread?: number;
  readonly seed: number;
}

/** Isotropic Gaussian blobs; row i belongs to blob i mod centers (balanced classes). */
export function blobs(options: BlobsOptions): ClassificationDataset & { readonly centers: Float32Array } {
  const { n, centers: numCenters = 3, dim = 2, std = 0.5, spread = 5, seed } = options;
  const rng = kiln.data.Rng.fromSeed(seed);
  const centers = Float32Array.from({ length: numCenters * dim }, () => rng.uniform(-spread, spread));
  const x = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % numCenters;
    labels[i] = c;
    for (let d = 0; d < dim; d++) x[i * dim + d] = centers[c * dim + d]! + std * rng.normal();
  }
  return { n, x, labels, numClasses: numCenters, centers };
}

export interface MixtureOptions {
  readonly n: number;
  /** Number of Gaussian modes, evenly spaced on a circle. */
  readonly modes?: number;
  readonly radius?: number;
  readonly std?: number;
  readonly seed: number;
}

export interface MixtureDataset {
  readonly n: number;
  /** n × 2 samples. */
  readonly points: Float32Array;
  /** Mode each sample was drawn from (for measuring GAN mode coverage). */
  readonly modes: Int32Array;
  /** modes × 2 mode centers. */
  readonly centers: Float32Array;
}

/** The classic GAN toy target: a ring of equally weighted 2-D Gaussians. */
export function gaussianMixture2d(options: MixtureOptions): MixtureDataset {
  const { n, modes: m = 8, radius = 2, std = 0.05, seed } = options;
  const rng = kiln.data.Rng.fromSeed(seed);
  const centers = new Float32Array(m * 2);
  for (let j = 0; j < m; j++) {
    centers[2 * j] = radius * Math.cos((2 * Math.PI * j) / m);
    centers[2 * j + 1] = radius * Math.sin((2 * Math.PI * j) / m);
  }
  const points = new Float32Array(n * 2);
  const modes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = rng.int(m);
    modes[i] = j;
    points[2 * i] = centers[2 * j]! + std * rng.normal();
    points[2 * i + 1] = centers[2 * j + 1]! + std * rng.normal();
  }
  return { n, points, modes, centers };
}
