// The fuzzer's draws (integers, coin flips, picks, shuffles) over ir's Mulberry32 stream
// (host-random.ts): the same seed always builds the same graph and the same input data, so every
// finding is reproducible from its seed.

import { Mulberry32 } from '@kiln/ir';

export class Rng extends Mulberry32 {
  /** A uniform u32. */
  next(): number {
    return this.nextU32();
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.float() * xs.length)];
    if (x === undefined) throw new Error('internal: Rng.pick from an empty list');
    return x;
  }

  shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}
