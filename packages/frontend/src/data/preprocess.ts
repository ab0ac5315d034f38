// Host-side data pipeline: label encoding and feature standardisation applied to arrays before they
// are fed to a graph. Statistics are accumulated in f64 and fitted on training rows only, so no
// information from the test split leaks into preprocessing.

import { KilnError } from '@kiln/ir';

/** One-hot rows: an n × numClasses Float32Array with a 1 at each label's column. */
export function oneHot(labels: ArrayLike<number>, numClasses: number): Float32Array {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new KilnError({ message: `oneHot: numClasses must be a positive integer, got ${numClasses}` });
  }
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new KilnError({ message: `oneHot: label ${label} at row ${i} is not in [0, ${numClasses})` });
    }
    out[i * numClasses + label] = 1;
  }
  return out;
}

export interface FeatureStats {
  readonly mean: Float64Array;
  /** Population standard deviation; features that are constant on the fitted rows get 1 (no division by 0). */
  readonly std: Float64Array;
}

function rowCount(data: ArrayLike<number>, featureCount: number): number {
  if (!Number.isInteger(featureCount) || featureCount < 1 || data.length % featureCount !== 0) {
    throw new KilnError({
      message: `featureCount ${featureCount} does not divide the data length ${data.length} (row-major n × featureCount expected)`,
    });
  }
  return data.length / featureCount;
}

/** Per-feature mean and std of a row-major n × featureCount array, over `rows` (default: all rows). */
export function featureStats(data: ArrayLike<number>, featureCount: number, rows?: ArrayLike<number>): FeatureStats {
  const n = rowCount(data, featureCount);
  const count = rows?.length ?? n;
  if (count === 0) throw new KilnError({ message: 'featureStats: no rows to fit on' });
  const mean = new Float64Array(featureCount);
  const sq = new Float64Array(featureCount);
  for (let i = 0; i < count; i++) {
    const r = rows === undefined ? i : rows[i]!;
    if (r < 0 || r >= n) throw new KilnError({ message: `featureStats: row ${r} out of range for ${n} rows` });
    for (let f = 0; f < featureCount; f++) mean[f]! += data[r * featureCount + f]!;
  }
  for (let f = 0; f < featureCount; f++) mean[f]! /= count;
  // Two passes (sum of squared deviations) rather than E[x²] − E[x]², which cancels badly.
  for (let i = 0; i < count; i++) {
    const r = rows === undefined ? i : rows[i]!;
    for (let f = 0; f < featureCount; f++) {
      const d = data[r * featureCount + f]! - mean[f]!;
      sq[f]! += d * d;
    }
  }
  const std = new Float64Array(featureCount);
  for (let f = 0; f < featureCount; f++) {
    const s = Math.sqrt(sq[f]! / count);
    std[f] = s > 0 ? s : 1;
  }
  return { mean, std };
}

/** (x − mean) / std per feature, for every row of `data` (e.g. the test split with train statistics). */
export function applyStandardization(data: ArrayLike<number>, stats: FeatureStats): Float32Array {
  const featureCount = stats.mean.length;
  const n = rowCount(data, featureCount);
  const out = new Float32Array(data.length);
  for (let r = 0; r < n; r++) {
    for (let f = 0; f < featureCount; f++) {
      const k = r * featureCount + f;
      out[k] = (data[k]! - stats.mean[f]!) / stats.std[f]!;
    }
  }
  return out;
}

/** Fits statistics on `fitRows` (the training split; default all rows) and standardises every row. */
export function standardize(data: ArrayLike<number>, featureCount: number, fitRows?: ArrayLike<number>): { readonly data: Float32Array; readonly stats: FeatureStats } {
  const stats = featureStats(data, featureCount, fitRows);
  return { data: applyStandardization(data, stats), stats };
}
