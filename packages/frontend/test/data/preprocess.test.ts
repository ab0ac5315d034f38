// Host data pipeline: one-hot labels and train-fitted standardisation, against hand-computed values.
import { describe, it, expect } from 'vitest';
import { applyStandardization, featureStats, oneHot, standardize } from '../../src/data/index.js';

describe('oneHot', () => {
  it('puts a single 1 per row at the label column', () => {
    expect(Array.from(oneHot(Int32Array.of(2, 0, 1), 3))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
  });
  it('rejects labels outside [0, numClasses)', () => {
    expect(() => oneHot([3], 3)).toThrow(/label 3 at row 0/);
    expect(() => oneHot([-1], 3)).toThrow(/label -1/);
  });
});

describe('standardize', () => {
  // 3 rows × 2 features; statistics fitted on rows 0 and 1 only.
  const data = Float32Array.of(1, 10, 3, 10, 5, 40);

  it('uses train-row statistics (population std; constant feature → std 1)', () => {
    const stats = featureStats(data, 2, [0, 1]);
    expect(Array.from(stats.mean)).toEqual([2, 10]);
    expect(Array.from(stats.std)).toEqual([1, 1]);
    const { data: z } = standardize(data, 2, [0, 1]);
    expect(Array.from(z)).toEqual([-1, 0, 1, 0, 3, 30]);
  });

  it('fits on all rows by default', () => {
    const stats = featureStats(data, 2);
    expect(stats.mean[0]).toBeCloseTo(3, 12);
    expect(stats.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(stats.mean[1]).toBeCloseTo(20, 12);
    expect(stats.std[1]).toBeCloseTo(Math.sqrt((100 + 100 + 400) / 3), 12);
    const z = applyStandardization(data, stats);
    expect(z[4]).toBeCloseTo(2 / Math.sqrt(8 / 3), 6);
  });

  it('rejects a feature count that does not divide the data', () => {
    expect(() => featureStats(data, 4)).toThrow(/does not divide/);
  });
});
