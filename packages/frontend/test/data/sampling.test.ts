// Host data pipeline: permutations and train/test splits.
import { describe, it, expect } from 'vitest';
import { Rng, shuffle, trainTestSplit } from '../../src/data/index.js';

function isPermutation(p: Uint32Array, n: number): boolean {
  if (p.length !== n) return false;
  const seen = new Uint8Array(n);
  for (const v of p) {
    if (v >= n || seen[v]) return false;
    seen[v] = 1;
  }
  return true;
}

describe('shuffle', () => {
  it('returns a permutation of 0..n-1', () => {
    for (const n of [0, 1, 2, 17, 1000]) expect(isPermutation(shuffle(n, 9), n)).toBe(true);
  });

  it('is a function of the seed', () => {
    expect(Array.from(shuffle(100, 4))).toEqual(Array.from(shuffle(100, 4)));
    expect(Array.from(shuffle(100, 4))).not.toEqual(Array.from(shuffle(100, 5)));
    const identity = Array.from({ length: 100 }, (_, i) => i);
    expect(Array.from(shuffle(100, 4))).not.toEqual(identity);
  });

  it('draws every permutation of 3 items about equally often', () => {
    const counts = new Map<string, number>();
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 6000; i++) {
      const key = Array.from(shuffle(3, rng)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150); // ~5 sigma
  });
});

describe('trainTestSplit', () => {
  it('partitions the rows with round(n * fraction) in the test part, both ascending', () => {
    const { train, test } = trainTestSplit(103, 0.2, 3);
    expect(test.length).toBe(21);
    expect(train.length).toBe(82);
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const part of [train, test]) for (let i = 1; i < part.length; i++) expect(part[i]!).toBeGreaterThan(part[i - 1]!);
  });

  it('is reproducible and rejects bad fractions', () => {
    expect(Array.from(trainTestSplit(50, 0.3, 8).test)).toEqual(Array.from(trainTestSplit(50, 0.3, 8).test));
    expect(trainTestSplit(10, 0, 1).test.length).toBe(0);
    expect(trainTestSplit(10, 1, 1).train.length).toBe(0);
    expect(() => trainTestSplit(10, 1.5, 1)).toThrow(/testFraction/);
  });
});
