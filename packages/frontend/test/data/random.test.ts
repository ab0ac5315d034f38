// Host PRNG: xoshiro128** and SplitMix64 against published vectors and an independent BigInt model.
import { describe, it, expect } from 'vitest';
import { Rng, deriveSeed, splitmix64 } from '../../src/data/index.js';

// Independent BigInt implementations of SplitMix64 and xoshiro128**, written from the papers'
// reference C code, to check the Number/Math.imul implementation against.
const M64 = (1n << 64n) - 1n;
const M32 = (1n << 32n) - 1n;
function refSplitmix(seed: bigint, count: number): bigint[] {
  let x = seed;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    x = (x + 0x9e3779b97f4a7c15n) & M64;
    let z = x;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    out.push(z ^ (z >> 31n));
  }
  return out;
}
function refXoshiro(state: bigint[], count: number): number[] {
  const s = [...state];
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & M32;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const [s0, s1, s2, s3] = s as [bigint, bigint, bigint, bigint];
    out.push(Number((rotl((s1 * 5n) & M32, 7n) * 9n) & M32));
    const t = (s1 << 9n) & M32;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    s[0] = n0;
    s[1] = n1;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11n);
  }
  return out;
}

describe('xoshiro128** / SplitMix64', () => {
  it('matches the published xoshiro128** vector for state {1, 2, 3, 4}', () => {
    // Reference output of Vigna's xoshiro128starstar.c (also the rand_xoshiro test vector).
    const expected = [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804];
    const rng = Rng.fromState([1, 2, 3, 4]);
    expect(Array.from({ length: 10 }, () => rng.nextU32())).toEqual(expected);
    expect(refXoshiro([1n, 2n, 3n, 4n], 10)).toEqual(expected);
  });

  it('matches the published SplitMix64 outputs for seed 0', () => {
    let state = 0n;
    const outs: bigint[] = [];
    for (let i = 0; i < 3; i++) {
      const r = splitmix64(state);
      state = r.state;
      outs.push(r.output);
    }
    expect(outs).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n, 0x06c45d188009454fn]);
  });

  it('seeds the state from two SplitMix64 outputs, low word first', () => {
    for (const seed of [0, 1, 42, 2 ** 40 + 7, -1]) {
      const [a, b] = refSplitmix(BigInt.asUintN(64, BigInt(seed)), 2) as [bigint, bigint];
      const state = [a & M32, a >> 32n, b & M32, b >> 32n];
      const rng = Rng.fromSeed(seed);
      expect(Array.from(rng.state())).toEqual(state.map(Number));
      expect(Array.from({ length: 20 }, () => rng.nextU32())).toEqual(refXoshiro(state, 20));
    }
  });

  it('is deterministic, and distinct seeds give distinct streams', () => {
    const a = Rng.fromSeed(7);
    const b = Rng.fromSeed(7);
    const c = Rng.fromSeed(8);
    const sa = Array.from({ length: 50 }, () => a.nextU32());
    expect(Array.from({ length: 50 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.nextU32())).not.toEqual(sa);
  });

  it('clone and fromState continue the same sequence', () => {
    const a = Rng.fromSeed(3);
    a.nextU32();
    const b = a.clone();
    const c = Rng.fromState(a.state());
    const next = [a.nextU32(), a.nextU32()];
    expect([b.nextU32(), b.nextU32()]).toEqual(next);
    expect([c.nextU32(), c.nextU32()]).toEqual(next);
  });

  it('float() builds a 53-bit fraction from two outputs', () => {
    const a = Rng.fromSeed(11);
    const raw = Rng.fromSeed(11);
    for (let i = 0; i < 100; i++) {
      const hi = raw.nextU32() >>> 5;
      const lo = raw.nextU32() >>> 6;
      const f = a.float();
      expect(f).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('int(n) stays in range and is roughly uniform; normal() has mean 0 and std 1', () => {
    const rng = Rng.fromSeed(5);
    const counts = new Array<number>(6).fill(0);
    for (let i = 0; i < 60000; i++) counts[rng.int(6)]! += 1;
    for (const c of counts) expect(Math.abs(c - 10000)).toBeLessThan(500); // ~5 sigma
    expect(rng.int(1)).toBe(0);
    let sum = 0;
    let sq = 0;
    const n = 40000;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      sum += x;
      sq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(sq / n) - 1)).toBeLessThan(0.03);
  });

  it('rejects invalid seeds and ranges', () => {
    expect(() => Rng.fromSeed(1.5)).toThrow(/safe integer/);
    expect(() => Rng.fromState([0, 0, 0, 0])).toThrow(/all zero/);
    expect(() => Rng.fromSeed(1).int(0)).toThrow(/1 <= n/);
  });

  it('deriveSeed separates streams deterministically', () => {
    const seeds = [0, 1, 2, 3].map((e) => deriveSeed(123, e));
    expect(new Set(seeds).size).toBe(4);
    expect(deriveSeed(123, 2)).toBe(seeds[2]);
    expect(deriveSeed(124, 0)).not.toBe(seeds[0]);
    for (const s of seeds) expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
  });
});
