// Host-side data pipeline: a seeded PRNG for shuffling, splits and synthetic data. It runs on the CPU
// outside any graph (in-graph randomness is the IR's counter-based `random_bits`, @kiln/ir random.ts).
// Generator: xoshiro128** 1.1 (Blackman & Vigna), state seeded from SplitMix64 as its authors recommend.

import { KilnError } from '@kiln/ir';

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const TWO_POW_32 = 4294967296;

/** One SplitMix64 step: advances `state` by the golden gamma and returns the mixed output. */
export function splitmix64(state: bigint): { readonly state: bigint; readonly output: bigint } {
  const next = (state + GOLDEN_GAMMA) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { state: next, output: z ^ (z >> 31n) };
}

function seedToU64(seed: number, what: string): bigint {
  if (!Number.isSafeInteger(seed)) {
    throw new KilnError({ message: `${what} must be a safe integer, got ${seed}` });
  }
  return BigInt.asUintN(64, BigInt(seed)); // negative seeds wrap (two's complement)
}

/**
 * Mixes a seed with a stream id (an epoch, a worker, a purpose) into a new seed, so that
 * `(seed, 0)`, `(seed, 1)`, … start unrelated sequences. Returns a non-negative safe integer.
 */
export function deriveSeed(seed: number, stream: number): number {
  const streamHash = splitmix64(seedToU64(stream, 'stream')).output;
  const mixed = splitmix64(seedToU64(seed, 'seed') ^ streamHash).output;
  return Number(mixed >> 11n); // top 53 bits: exactly representable
}

function rotl32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * xoshiro128**: 128-bit state, period 2^128 − 1, 32-bit outputs. `Rng.fromSeed(s)` fills the state
 * with two SplitMix64 outputs of `s` (low word first), so every integer seed gives a valid,
 * well-mixed, non-zero state. Deterministic across platforms: only u32 arithmetic.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) {
      throw new KilnError({ message: 'xoshiro128** state must not be all zero' });
    }
  }

  static fromSeed(seed: number): Rng {
    const first = splitmix64(seedToU64(seed, 'seed'));
    const second = splitmix64(first.state);
    const words = [first.output, second.output].flatMap((w) => [Number(w & 0xffffffffn), Number(w >> 32n)]);
    const [a = 0, b = 0, c = 0, d = 0] = words;
    // SplitMix64 is a bijection of its state, but two consecutive zero outputs are still conceivable.
    return (a | b | c | d) === 0 ? new Rng(1, 0, 0, 0) : new Rng(a, b, c, d);
  }

  /** Restores a generator from four u32 words (e.g. from `state()`); used for reference vectors. */
  static fromState(state: ArrayLike<number>): Rng {
    if (state.length !== 4) throw new KilnError({ message: `xoshiro128** state has 4 words, got ${state.length}` });
    return new Rng(state[0] ?? 0, state[1] ?? 0, state[2] ?? 0, state[3] ?? 0);
  }

  state(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  clone(): Rng {
    return new Rng(this.s0, this.s1, this.s2, this.s3);
  }

  /** Next raw output, a uniform u32. */
  nextU32(): number {
    const result = Math.imul(rotl32(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl32(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (two outputs: 27 high bits, then 26). */
  float(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n), unbiased (rejection of the incomplete top range). 1 ≤ n ≤ 2^32. */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new KilnError({ message: `Rng.int(n) needs an integer 1 <= n <= 2^32, got ${n}` });
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextU32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal sample by Box–Muller (one of the pair; no cached spare, so `state()` is the full state). */
  normal(mean = 0, std = 1): number {
    const u1 = 1 - this.float(); // (0, 1]: log stays finite
    const u2 = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** A generator from a seed, or the given generator itself (so helpers can share one stream). */
export function rngFrom(seedOrRng: number | Rng): Rng {
  return typeof seedOrRng === 'number' ? Rng.fromSeed(seedOrRng) : seedOrRng;
}
