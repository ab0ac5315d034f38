// Host-side data pipeline: the seeded PRNG for shuffling, splits and synthetic data. The generator
// (xoshiro128** seeded from SplitMix64) lives with Kiln's other PRNGs in @kiln/ir host-random.ts;
// in-graph randomness is the IR's counter-based `random_bits`.

import { Xoshiro128 } from '@kiln/ir';

// The data pipeline's generator is xoshiro128** 1.1, under its historical name Rng.
export { deriveSeed, splitmix64, Xoshiro128 as Rng } from '@kiln/ir';

/** A generator from a seed, or the given generator itself (so helpers can share one stream). */
export function rngFrom(seedOrRng: number | Xoshiro128): Xoshiro128 {
  return typeof seedOrRng === 'number' ? Xoshiro128.fromSeed(seedOrRng) : seedOrRng;
}
