// Host-side data pipeline: seeded permutations and train/test splits over example indices.
// Everything is a pure function of (n, seed): rerunning a script reproduces the same order.

import { KilnError } from '@kiln/ir';
import { rngFrom, type Rng } from './random.js';

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) {
    throw new KilnError({ message: `${what} must be an integer in [0, 2^32), got ${n}` });
  }
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates driven by xoshiro128**). */
export function shuffle(n: number, seed: number | Rng): Uint32Array {
  checkCount(n, 'shuffle: n');
  const rng = rngFrom(seed);
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = tmp;
  }
  return perm;
}

export interface Split {
  /** Row indices of the training part, ascending (ascending keeps later gathers cache-friendly). */
  readonly train: Uint32Array;
  readonly test: Uint32Array;
}

/** Splits 0..n-1 at random into a test part of round(n * testFraction) rows and a train part of the rest. */
export function trainTestSplit(n: number, testFraction: number, seed: number | Rng): Split {
  checkCount(n, 'trainTestSplit: n');
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new KilnError({ message: `trainTestSplit: testFraction must be in [0, 1], got ${testFraction}` });
  }
  const perm = shuffle(n, seed);
  const nTest = Math.round(n * testFraction);
  const test = perm.slice(0, nTest).sort();
  const train = perm.slice(nTest).sort();
  return { train, test };
}
