// Composites (activations, softmax family, layerNorm, oneHot) against plain-JS computations of
// the same formulas, including the overflow cases the stable forms exist for.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { evaluate, expectClose } from './helpers.js';

const rows = [
  [1, 2, 3, 4],
  [-1, 0, 0.5, 10],
  [1000, 1001, 999, 1000],
];

function jsSoftmax(r: number[]): number[] {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('softmax family', () => {
  it('softmax rows sum to one and match exp/sum', () => {
    const out = evaluate(({ x }) => x.softmax(), { x: k.f32([3, 4]) }, { x: rows.flat() });
    const got = out['out']!;
    for (let r = 0; r < 3; r++) {
      const row = got.slice(r * 4, r * 4 + 4);
      expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      expectClose(row, jsSoftmax(rows[r]!), 1e-12);
    }
  });

  it('softmax along axis 0', () => {
    const out = evaluate(({ x }) => k.softmax(x, 0), { x: k.f32([2, 2]) }, { x: [0, 1, Math.log(3), 1] });
    expectClose(out['out']!, [0.25, 0.5, 0.75, 0.5], 1e-12);
  });

  it('logSoftmax and logsumexp are finite for huge logits', () => {
    const out = evaluate(({ x }) => ({ ls: x.logSoftmax(), lse: x.logsumexp(-1), lsek: x.logsumexp(1, true) }), { x: k.f32([3, 4]) }, { x: rows.flat() });
    const lse = rows.map((r) => {
      const m = Math.max(...r);
      return m + Math.log(r.reduce((a, v) => a + Math.exp(v - m), 0));
    });
    expectClose(out['lse']!, lse, 1e-12);
    expectClose(out['lsek']!, lse, 1e-12);
    expectClose(
      out['ls']!,
      rows.flatMap((r, i) => r.map((v) => v - lse[i]!)),
      1e-12,
    );
    expect(lse[2]).toBeGreaterThan(1000);
  });

  it('logsumexp of an all -inf row is -inf, not NaN', () => {
    const out = evaluate(({ x }) => x.logsumexp(1), { x: k.f32([2, 2]) }, { x: [-Infinity, -Infinity, 0, 0] });
    expect(out['out']![0]).toBe(-Infinity);
    expectClose([out['out']![1]!], [Math.log(2)], 1e-12);
  });

  it('logsumexp over several axes', () => {
    const x = [0.5, -1, 2, 3, 0, 1];
    const out = evaluate(({ x }) => x.logsumexp(), { x: k.f32([2, 3]) }, { x });
    expectClose(out['out']!, [Math.log(x.reduce((a, v) => a + Math.exp(v), 0))], 1e-12);
  });
});

describe('activations', () => {
  const xs = [-1, 0, 0.5, 2];
  // Standard normal CDF values Φ(x) from tables.
  const phi = [0.15865525393145707, 0.5, 0.6914624612740131, 0.9772498680518208];

  it('relu and leakyRelu', () => {
    const out = evaluate(({ x }) => ({ r: x.relu(), l: x.leakyRelu(0.1), big: k.leakyRelu(x, 2) }), { x: k.f32([4]) }, { x: xs });
    expect(out['r']).toEqual([0, 0, 0.5, 2]);
    expectClose(out['l']!, [-0.1, 0, 0.5, 2], 1e-12);
    expect(out['big']).toEqual([-2, 0, 0.5, 2]);
  });

  it('gelu exact (x·Φ(x)) and tanh approximation', () => {
    const out = evaluate(({ x }) => ({ g: x.gelu(), a: x.gelu(true) }), { x: k.f32([4]) }, { x: xs });
    expectClose(
      out['g']!,
      xs.map((v, i) => v * phi[i]!),
      1e-12,
    );
    const approx = xs.map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
    expectClose(out['a']!, approx, 1e-12);
    expectClose(out['a']!, out['g']!, 1e-3);
  });

  it('softplus is stable for large |x|; silu is x·sigmoid(x)', () => {
    const big = [-100, -1, 0, 1, 100];
    const out = evaluate(({ x }) => ({ sp: x.softplus(), si: x.silu() }), { x: k.f32([5]) }, { x: big });
    expectClose(out['sp']!, [Math.exp(-100), Math.log1p(Math.exp(-1)), Math.LN2, Math.log1p(Math.E), 100], 1e-12);
    expectClose(
      out['si']!,
      big.map((v) => v / (1 + Math.exp(-v))),
      1e-12,
    );
  });
});

describe('layerNorm and oneHot', () => {
  it('layerNorm normalises the last axis, then applies gain and bias', () => {
    const x = [1, 2, 3, 4, -2, 0, 2, 8];
    const gain = [1, 2, 0.5, -1];
    const bias = [0, 1, 0, 0.5];
    const eps = 1e-5;
    const out = evaluate(
      ({ x, g, b }) => ({ plain: k.layerNorm(x), affine: k.layerNorm(x, { gain: g, bias: b, eps }) }),
      { x: k.f32([2, 4]), g: k.f32([4]), b: k.f32([4]) },
      { x, g: gain, b: bias },
    );
    const plain: number[] = [];
    const affine: number[] = [];
    for (let r = 0; r < 2; r++) {
      const row = x.slice(r * 4, r * 4 + 4);
      const m = row.reduce((a, v) => a + v, 0) / 4;
      const v = row.reduce((a, e) => a + (e - m) ** 2, 0) / 4;
      row.forEach((e, i) => {
        const n = (e - m) / Math.sqrt(v + eps);
        plain.push(n);
        affine.push(n * gain[i]! + bias[i]!);
      });
    }
    expectClose(out['plain']!, plain, 1e-12);
    expectClose(out['affine']!, affine, 1e-12);
  });

  it('oneHot puts a 1 at each index; out-of-range rows are all zero', () => {
    const out = evaluate(({ i }) => k.oneHot(i, 3), { i: k.i32([2, 2]) }, { i: [0, 2, 1, 5] });
    expect(out['out']).toEqual([1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
  });
});
