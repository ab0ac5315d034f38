// Initializers: determinism from (seed, name), independence from other parameters, and the
// statistics each one promises (Glorot/He variances, bounds), checked on large samples.

import { afterEach, describe, expect, it, vi } from 'vitest';
import * as k from '@kiln/frontend';
import type { TensorType } from '@kiln/ir';

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });

function stats(xs: ArrayLike<number>): { mean: number; variance: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!;
    min = Math.min(min, xs[i]!);
    max = Math.max(max, xs[i]!);
  }
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  return { mean, variance: v / xs.length, min, max };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('determinism', () => {
  const spec = { name: 'layer.w', type: f32(30, 20), init: k.init.normal(1) };

  it('the same seed and name give identical values; Math.random is never used', () => {
    const spy = vi.spyOn(Math, 'random');
    const a = k.initialize(spec, 42);
    const b = k.initialize(spec, 42);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(spy).not.toHaveBeenCalled();
  });

  it('a different seed or name gives different values', () => {
    const base = Array.from(k.initialize(spec, 0));
    expect(Array.from(k.initialize(spec, 1))).not.toEqual(base);
    expect(Array.from(k.initialize({ ...spec, name: 'layer.v' }, 0))).not.toEqual(base);
  });

  it('a parameter keeps its values when other parameters are added before it', () => {
    const model = (extra: boolean) =>
      k.trace(
        ({ x }) => {
          const h = extra ? k.nn.linear(x, 4, 4, { name: 'pre' }) : x;
          return k.nn.linear(h, 4, 2, { name: 'head' });
        },
        { x: k.f32([1, 4]) },
      );
    const a = model(false).params.find((p) => p.name === 'head.w')!;
    const b = model(true).params.find((p) => p.name === 'head.w')!;
    expect(Array.from(k.initialize(b, 3))).toEqual(Array.from(k.initialize(a, 3)));
  });

  it('SeededRandom draws uniform values in [0, 1)', () => {
    const r = new k.SeededRandom(5);
    const xs = Array.from({ length: 20000 }, () => r.next());
    const s = stats(xs);
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThan(1);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(s.variance - 1 / 12)).toBeLessThan(0.003);
  });
});

describe('statistics', () => {
  it('glorotUniform has variance 2/(fanIn+fanOut) and bound sqrt(6/(fanIn+fanOut))', () => {
    const xs = k.initialize({ name: 'g', type: f32(200, 300), init: k.init.glorotUniform() }, 0);
    const s = stats(xs);
    const limit = Math.sqrt(6 / 500);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(s.variance / (2 / 500) - 1)).toBeLessThan(0.03);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
  });

  it('conv kernels use receptive-field fans', () => {
    expect(k.fansOf([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(k.fansOf([7])).toEqual({ fanIn: 7, fanOut: 7 });
    const xs = k.initialize({ name: 'c', type: f32(3, 3, 64, 64), init: k.init.glorotNormal() }, 0);
    expect(Math.abs(stats(xs).variance / (2 / (576 + 576)) - 1)).toBeLessThan(0.04);
  });

  it('heNormal has std sqrt(2/fanIn); heUniform has the same variance', () => {
    const n = k.initialize({ name: 'h', type: f32(400, 100), init: k.init.heNormal() }, 0);
    expect(Math.abs(stats(n).variance / (2 / 400) - 1)).toBeLessThan(0.04);
    const u = k.initialize({ name: 'h', type: f32(400, 100), init: k.init.heUniform() }, 0);
    expect(Math.abs(stats(u).variance / (2 / 400) - 1)).toBeLessThan(0.03);
  });

  it('normal(std, mean): moments and the one-sigma mass', () => {
    const xs = k.initialize({ name: 'n', type: f32(50000), init: k.init.normal(2, 1) }, 9);
    const s = stats(xs);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.03);
    expect(Math.abs(Math.sqrt(s.variance) - 2)).toBeLessThan(0.03);
    let within = 0;
    for (const x of xs) if (Math.abs(x - 1) < 2) within++;
    expect(Math.abs(within / xs.length - 0.6827)).toBeLessThan(0.01);
  });

  it('uniform(a, b) stays in range with mean (a+b)/2', () => {
    const s = stats(k.initialize({ name: 'u', type: f32(20000), init: k.init.uniform(-3, 5) }, 0));
    expect(s.min).toBeGreaterThanOrEqual(-3);
    expect(s.max).toBeLessThan(5);
    expect(Math.abs(s.mean - 1)).toBeLessThan(0.1);
  });

  it('constant initializers, dtypes and explicit values', () => {
    expect(Array.from(k.initialize({ name: 'z', type: f32(3), init: k.init.zeros() }))).toEqual([0, 0, 0]);
    expect(Array.from(k.initialize({ name: 'o', type: f32(2), init: k.init.ones() }))).toEqual([1, 1]);
    const c = k.initialize({ name: 'c', type: { dtype: 'i32', shape: [2] }, init: k.init.constant(7) });
    expect(c).toBeInstanceOf(Int32Array);
    expect(Array.from(c)).toEqual([7, 7]);
    expect(Array.from(k.initialize({ name: 'v', type: f32(2, 2), init: k.init.values([1, 2, 3, 4]) }))).toEqual([1, 2, 3, 4]);
    expect(() => k.initialize({ name: 'v', type: f32(3), init: k.init.values([1]) })).toThrowError(/has 1 values, f32\[3\] needs 3/);
  });

  it('randomKey gives a u32[2] key with a zero counter, varying with the seed', () => {
    const a = k.initialize({ name: 'rng', type: { dtype: 'u32', shape: [2] }, init: k.init.randomKeyInit() }, 0);
    const b = k.initialize({ name: 'rng', type: { dtype: 'u32', shape: [2] }, init: k.init.randomKeyInit() }, 1);
    expect(a).toBeInstanceOf(Uint32Array);
    expect(a[1]).toBe(0);
    expect(a[0]).not.toBe(b[0]);
  });
});
