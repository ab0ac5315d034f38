// Layers with parameters (linear, embedding, layerNorm, conv), dropout, attention and losses,
// evaluated with explicit parameter values and compared with plain-JS computations.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { evaluate, expectClose, jsMatmul, runTraced, seq } from './helpers.js';

describe('layers', () => {
  it('linear is x @ w + b with w [in,out] and b [out]', () => {
    const t = k.trace(({ x }) => k.nn.linear(x, 3, 2), { x: k.f32([2, 3]) });
    expect(t.params.map((p) => [p.name, p.type.shape, p.init.kind])).toEqual([
      ['linear0.w', [3, 2], 'glorotUniform'],
      ['linear0.b', [2], 'zeros'],
    ]);
    const x = [1, 2, 3, -1, 0, 1];
    const w = [1, 0, 0, 1, 1, 1];
    const out = runTraced(t, { x }, { 'linear0.w': w, 'linear0.b': [10, 20] });
    expect(out['out']).toEqual(jsMatmul(x, w, 2, 3, 2).map((v, i) => v + (i % 2 === 0 ? 10 : 20)));
  });

  it('linear without bias, and a wrong input width names the shape', () => {
    const t = k.trace(({ x }) => k.nn.linear(x, 3, 2, { bias: false, name: 'proj' }), { x: k.f32([4, 3]) });
    expect(t.params.map((p) => p.name)).toEqual(['proj.w']);
    expect(() => k.trace(({ x }) => k.nn.linear(x, 4, 2), { x: k.f32([2, 3]) })).toThrowError(/linear: expects 4 features in the last dim, the input is \[2,3\]/);
  });

  it('embedding gathers rows of its table', () => {
    const t = k.trace(({ ids }) => k.nn.embedding(ids, 4, 2), { ids: k.i32([3]) });
    expect(t.params[0]!.name).toBe('embedding0.table');
    const out = runTraced(t, { ids: [3, 0, 3] }, { 'embedding0.table': seq(8) });
    expect(out['out']).toEqual([6, 7, 0, 1, 6, 7]);
  });

  it('nn.layerNorm creates gain (ones) and bias (zeros)', () => {
    const t = k.trace(({ x }) => k.nn.layerNorm(x), { x: k.f32([1, 2]) });
    expect(t.params.map((p) => [p.name, p.init.kind])).toEqual([
      ['layernorm0.gain', 'ones'],
      ['layernorm0.bias', 'zeros'],
    ]);
    const out = runTraced(t, { x: [1, 3] });
    expectClose(out['out']!, [-1 / Math.sqrt(1 + 1e-5), 1 / Math.sqrt(1 + 1e-5)], 1e-12);
  });

  it('nn.conv2d creates an HWIO kernel and a bias', () => {
    const t = k.trace(({ x }) => k.nn.conv2d(x, 4, 8, 3, { groups: 2, padding: 'same' }), { x: k.f32([1, 5, 5, 4]) });
    expect(t.params.map((p) => [p.name, p.type.shape])).toEqual([
      ['conv2d0.w', [3, 3, 2, 8]],
      ['conv2d0.b', [8]],
    ]);
    expect(t.outputs[0]!.type.shape).toEqual([1, 5, 5, 8]);
  });
});

describe('dropout', () => {
  const n = 4000;
  const run = (key: number[], rate: number): number[] =>
    evaluate(({ x, key }) => k.nn.dropout(x, rate, key), { x: k.f32([n]), key: k.u32([2]) }, { x: new Float32Array(n).fill(1), key })['out']!;

  it('keeps about 1-rate of the elements, scaled by 1/(1-rate)', () => {
    const out = run([7, 9], 0.25);
    const zeros = out.filter((v) => v === 0).length;
    expect(out.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-12)).toBe(true);
    // Binomial(4000, 0.25): sd ≈ 27; allow 5 sd.
    expect(Math.abs(zeros - 1000)).toBeLessThan(140);
  });

  it('is a pure function of the key', () => {
    expect(run([1, 2], 0.5)).toEqual(run([1, 2], 0.5));
    expect(run([1, 2], 0.5)).not.toEqual(run([1, 3], 0.5));
  });

  it('rate 0 and training=false are identities; rate 1 is rejected', () => {
    const t = k.trace(({ x, key }) => ({ a: k.nn.dropout(x, 0, key), b: k.nn.dropout(x, 0.5, key, { training: false }) }), { x: k.f32([2]), key: k.u32([2]) });
    expect(t.graph.nodes).toHaveLength(0);
    expect(() => k.trace(({ x, key }) => k.nn.dropout(x, 1, key), { x: k.f32([2]), key: k.u32([2]) })).toThrowError(/rate must be in \[0, 1\)/);
  });
});

describe('scaled dot-product attention', () => {
  function jsAttention(q: number[], kk: number[], v: number[], tq: number, tk: number, d: number, causal: boolean): number[] {
    const out: number[] = [];
    for (let i = 0; i < tq; i++) {
      const s: number[] = [];
      for (let j = 0; j < tk; j++) {
        let dot = 0;
        for (let p = 0; p < d; p++) dot += q[i * d + p]! * kk[j * d + p]!;
        s.push(causal && j > i + (tk - tq) ? -Infinity : dot / Math.sqrt(d));
      }
      const m = Math.max(...s);
      const e = s.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      for (let p = 0; p < d; p++) out.push(e.reduce((a, w, j) => a + (w / z) * v[j * d + p]!, 0));
    }
    return out;
  }
  const q = seq(12, 0.1, -0.5);
  const kk = seq(12, -0.07, 0.4);
  const v = seq(12, 0.3, -1);

  it('matches softmax(q kᵀ/√d) v, with and without a causal mask', () => {
    const out = evaluate(
      ({ q, k: kt, v }) => ({ full: k.nn.scaledDotProductAttention(q, kt, v), causal: k.nn.scaledDotProductAttention(q, kt, v, { causal: true }) }),
      { q: k.f32([3, 4]), k: k.f32([3, 4]), v: k.f32([3, 4]) },
      { q, k: kk, v },
    );
    expectClose(out['full']!, jsAttention(q, kk, v, 3, 3, 4, false), 1e-9);
    expectClose(out['causal']!, jsAttention(q, kk, v, 3, 3, 4, true), 1e-9);
    // The first query attends only to the first key.
    expectClose(out['causal']!.slice(0, 4), v.slice(0, 4), 1e-12);
  });

  it('works on batched heads [B, H, T, d]', () => {
    const t = k.trace(({ q }) => k.nn.scaledDotProductAttention(q, q, q, { causal: true }), { q: k.f32([2, 3, 5, 8]) });
    expect(t.outputs[0]!.type.shape).toEqual([2, 3, 5, 8]);
  });
});

describe('losses', () => {
  const logits = [2, 1, 0.1, -1, 3, 0.5];
  const labels = [0, 2];

  it('softmaxCrossEntropy from integer labels = -log softmax[label]', () => {
    const out = evaluate(
      ({ z, y }) => ({ per: k.losses.softmaxCrossEntropy(z, y), mean: k.losses.softmaxCrossEntropy(z, y, { reduction: 'mean' }) }),
      { z: k.f32([2, 3]), y: k.i32([2]) },
      { z: logits, y: labels },
    );
    const want = [0, 1].map((r) => {
      const row = logits.slice(r * 3, r * 3 + 3);
      const s = row.reduce((a, v) => a + Math.exp(v), 0);
      return -Math.log(Math.exp(row[labels[r]!]!) / s);
    });
    expectClose(out['per']!, want, 1e-12);
    expectClose(out['mean']!, [(want[0]! + want[1]!) / 2], 1e-12);
  });

  it('softmaxCrossEntropy is finite for huge logits and accepts probability labels', () => {
    const out = evaluate(
      ({ z, y, p }) => ({ big: k.losses.softmaxCrossEntropy(z.mul(1000), y), soft: k.losses.softmaxCrossEntropy(z, p) }),
      { z: k.f32([2, 3]), y: k.i32([2]), p: k.f32([2, 3]) },
      {
        z: logits,
        y: labels,
        p: [1, 0, 0, 0, 0, 1],
      },
    );
    // Row 0: label is the max → ~0; row 1: 1000·(3 - 0.5) = 2500 above the label's logit.
    expectClose(out['big']!, [Math.log1p(Math.exp(-1000)), 2500], 1e-9);
    const hard = evaluate(({ z, y }) => k.losses.softmaxCrossEntropy(z, y), { z: k.f32([2, 3]), y: k.i32([2]) }, { z: logits, y: labels });
    expectClose(out['soft']!, hard['out']!, 1e-12);
  });

  it('klDivergence = Σ p (log p − log q), with 0 · log 0 = 0; gaussianKl matches the closed form', () => {
    const p = [0.5, 0.5, 0, 0.2, 0.3, 0.5];
    const q = [0.25, 0.25, 0.5, 0.1, 0.6, 0.3];
    const out = evaluate(
      ({ p, q, mu, lv }) => ({ kl: k.losses.klDivergence(p, q), g: k.losses.gaussianKl(mu, lv, { reduction: 'sum' }) }),
      { p: k.f32([2, 3]), q: k.f32([2, 3]), mu: k.f32([1, 2]), lv: k.f32([1, 2]) },
      { p, q, mu: [0.5, -1], lv: [0.1, -0.3] },
    );
    const row = (r: number): number => [0, 1, 2].reduce((a, j) => (p[r * 3 + j]! > 0 ? a + p[r * 3 + j]! * Math.log(p[r * 3 + j]! / q[r * 3 + j]!) : a), 0);
    expectClose(out['kl']!, [row(0), row(1)], 1e-12);
    const g = [
      [0.5, 0.1],
      [-1, -0.3],
    ].reduce((a, [m, l]) => a - 0.5 * (1 + l! - m! * m! - Math.exp(l!)), 0);
    expectClose(out['g']!, [g], 1e-12);
    expect(() => k.trace(({ a, b }) => k.losses.klDivergence(a, b), { a: k.f32([2, 3]), b: k.f32([3]) })).toThrowError(/klDivergence: p and q must have one shape/);
  });

  it('rejects labels of the wrong shape', () => {
    expect(() => k.trace(({ z, y }) => k.losses.softmaxCrossEntropy(z, y), { z: k.f32([2, 3]), y: k.i32([3]) })).toThrowError(/integer labels must have shape \[2\]/);
  });

  it('binaryCrossEntropyWithLogits equals -[z log σ(x) + (1-z) log(1-σ(x))], stable at ±100', () => {
    const x = [-2, 0, 0.5, 3];
    const z = [0, 1, 1, 0.25];
    const out = evaluate(({ x, z }) => k.losses.binaryCrossEntropyWithLogits(x, z), { x: k.f32([4]), z: k.f32([4]) }, { x, z });
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    expectClose(
      out['out']!,
      x.map((v, i) => -(z[i]! * Math.log(sig(v)) + (1 - z[i]!) * Math.log(1 - sig(v)))),
      1e-12,
    );
    const ext = evaluate(({ x }) => k.losses.binaryCrossEntropyWithLogits(x, 1), { x: k.f32([2]) }, { x: [100, -100] });
    expectClose(ext['out']!, [Math.exp(-100), 100], 1e-12);
  });

  it('mse and hinge', () => {
    const out = evaluate(
      ({ p, t, s, y }) => ({
        mse: k.losses.mse(p, t),
        mseMean: k.losses.mse(p, t, { reduction: 'mean' }),
        hinge: k.losses.hinge(s, y),
        hingeSum: k.losses.hinge(s, y, { reduction: 'sum' }),
      }),
      { p: k.f32([3]), t: k.f32([3]), s: k.f32([3]), y: k.f32([3]) },
      { p: [1, 2, 3], t: [1, 0, 5], s: [2, 0.5, -0.5], y: [1, 1, -1] },
    );
    expect(out['mse']).toEqual([0, 4, 4]);
    expectClose(out['mseMean']!, [8 / 3], 1e-12);
    expect(out['hinge']).toEqual([0, 0.5, 0.5]);
    expect(out['hingeSum']).toEqual([1]);
  });
});
