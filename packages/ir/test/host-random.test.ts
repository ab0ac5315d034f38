// Host PRNG module: each generator against an independent BigInt model of its recurrence, so a
// change to any stream the tests' reference data depends on fails here first.
import { describe, expect, it } from 'vitest';
import { Lcg32, Mulberry32, SplitMix32, Xoshiro128, lcgUniforms, mix32 } from '../src/index.js';

const M32 = (1n << 32n) - 1n;

function lcgModel(seed: bigint, n: number): number[] {
  let s = seed & M32;
  return Array.from({ length: n }, () => Number((s = (1664525n * s + 1013904223n) & M32)));
}

function mulberryModel(seed: number, n: number): number[] {
  let a = BigInt(seed) & M32;
  const imul = (x: bigint, y: bigint): bigint => (x * y) & M32;
  return Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5n) & M32;
    let t = imul(a ^ (a >> 15n), a | 1n);
    t = (t ^ ((t + imul(t ^ (t >> 7n), t | 61n)) & M32)) & M32;
    return Number(t ^ (t >> 14n));
  });
}

describe('host PRNGs', () => {
  it('Lcg32 follows s -> 1664525 s + 1013904223 mod 2^32, with an optional Knuth seed scramble', () => {
    const r = new Lcg32(7);
    expect(Array.from({ length: 5 }, () => r.nextU32())).toEqual(lcgModel(7n, 5));
    const scrambled = new Lcg32(3, { scrambleSeed: true });
    expect(scrambled.nextU32()).toBe(lcgModel(3n * 2654435761n, 1)[0]);
  });

  it('lcgUniforms maps the stream into [lo, hi) exactly as the test helpers always did', () => {
    const raw = lcgModel(11n, 4);
    expect(lcgUniforms(4, 11)).toEqual(raw.map((s) => s / 2 ** 31 - 1));
    expect(lcgUniforms(4, 11, 2, 5)).toEqual(raw.map((s) => 2 + (s / 2 ** 32) * 3));
  });

  it('Mulberry32 matches the BigInt model of mulberry32', () => {
    const r = new Mulberry32(42);
    expect(Array.from({ length: 6 }, () => r.nextU32())).toEqual(mulberryModel(42, 6));
  });

  it('SplitMix32 is the lowbias32 mixer over a golden-ratio Weyl sequence, with 53-bit floats', () => {
    const r = new SplitMix32(5);
    expect([r.nextU32(), r.nextU32()]).toEqual([mix32((5 + 0x9e3779b9) >>> 0), mix32((5 + 2 * 0x9e3779b9) >>> 0)]);
    const f = new SplitMix32(9).next();
    expect(f).toBeGreaterThanOrEqual(0);
    expect(f).toBeLessThan(1);
    expect(Number.isInteger(f * 2 ** 53)).toBe(true);
  });

  it('Xoshiro128 rejects a bad state and replays a cloned stream', () => {
    expect(() => Xoshiro128.fromState([1, 2, 3])).toThrow(/4 words, got 3/);
    expect(() => Xoshiro128.fromState([0, 0, 0, 0])).toThrow(/must not be all zero/);
    const a = Xoshiro128.fromSeed(1);
    const b = a.clone();
    expect([a.nextU32(), a.nextU32()]).toEqual([b.nextU32(), b.nextU32()]);
  });
});
