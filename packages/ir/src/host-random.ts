// Host-side seeded generators, each a small class so the same seed always replays the same stream:
// Xoshiro128 (data pipeline), SplitMix32 (parameter initializers), Mulberry32 (property tests and
// fuzzing), Lcg32 (test data). Every host PRNG in the repository comes from here (bench/ aside).

import { KilnError } from './errors.js';
import { mix32 } from './random.js';

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

/** Two u32 outputs to a uniform double in [0, 1) with 53 random bits (27 high bits, then 26). */
function unit53(next: () => number): number {
  const hi = next() >>> 5;
  const lo = next() >>> 6;
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** Box–Muller (one of the pair; 1 - u keeps the log argument in (0, 1]). */
function boxMuller(unit: () => number): number {
  const u1 = 1 - unit();
  const u2 = unit();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna): 128-bit state, period 2^128 − 1, 32-bit outputs.
 * `fromSeed(s)` fills the state with two SplitMix64 outputs of `s` (low word first), as the
 * authors recommend, so every integer seed gives a valid non-zero state. Only u32 arithmetic.
 */
export class Xoshiro128 {
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

  static fromSeed(seed: number): Xoshiro128 {
    const first = splitmix64(seedToU64(seed, 'seed'));
    const second = splitmix64(first.state);
    const low = (w: bigint): number => Number(w & 0xffffffffn);
    const high = (w: bigint): number => Number(w >> 32n);
    const [a, b, c, d] = [low(first.output), high(first.output), low(second.output), high(second.output)];
    // SplitMix64 is a bijection of its state, but two consecutive zero outputs are still conceivable.
    return (a | b | c | d) === 0 ? new Xoshiro128(1, 0, 0, 0) : new Xoshiro128(a, b, c, d);
  }

  /** Restores a generator from four u32 words (e.g. from `state()`); used for reference vectors. */
  static fromState(state: ArrayLike<number>): Xoshiro128 {
    const [a, b, c, d] = Array.from(state);
    if (state.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) {
      throw new KilnError({ message: `xoshiro128** state has 4 words, got ${state.length}` });
    }
    return new Xoshiro128(a, b, c, d);
  }

  state(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  clone(): Xoshiro128 {
    return new Xoshiro128(this.s0, this.s1, this.s2, this.s3);
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

  /** Uniform double in [0, 1) with 53 random bits. */
  float(): number {
    return unit53(() => this.nextU32());
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

  /** Standard normal sample by Box–Muller (no cached spare, so `state()` is the full state). */
  normal(mean = 0, std = 1): number {
    // Written out (not boxMuller) to keep the historical rounding order of std * sqrt * cos.
    const u1 = 1 - this.float();
    const u2 = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}

/** splitmix32: a Weyl sequence through the lowbias32 mixer; the parameter initializers' stream. */
export class SplitMix32 {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    return mix32(this.state);
  }
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number {
    return unit53(() => this.nextU32());
  }
  /** Standard normal by Box–Muller. */
  normal(): number {
    return boxMuller(() => this.next());
  }
}

/** mulberry32: tiny and fast; the property tests' and fuzzer's graph generator. */
export class Mulberry32 {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform in [0, 1) (32 bits). */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }
}

/**
 * The Numerical Recipes LCG (s' = 1664525 s + 1013904223 mod 2^32): weak, but the test suites'
 * reference data was drawn from it, so its exact sequence is kept. `scrambleSeed` first spreads
 * small seeds with Knuth's multiplicative hash (as the gradient-check data always has).
 */
export class Lcg32 {
  private state: number;
  constructor(seed: number, opts: { readonly scrambleSeed?: boolean } = {}) {
    this.state = (opts.scrambleSeed === true ? seed * 2654435761 : seed) >>> 0;
  }
  nextU32(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state;
  }
  /** Uniform in [0, 1) (32 bits). */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }
}

/** `n` uniform numbers in [lo, hi) from an Lcg32 stream: the shared shape of the tests' data helpers. */
export function lcgUniforms(n: number, seed: number, lo = -1, hi = 1, opts: { readonly scrambleSeed?: boolean } = {}): number[] {
  const r = new Lcg32(seed, opts);
  return Array.from({ length: n }, () => r.uniform(lo, hi));
}
