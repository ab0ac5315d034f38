// Non-recurrent layers: batch norm (train/eval, running statistics), multi-head attention against a
// plain-JS reference, transformer block shapes, positional encodings, residual connections,
// graph convolution (dense vs edge list), and causal conv1d.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { interpret } from '@kiln/runtime';
import { lcgUniforms } from '@kiln/ir';

function rand(n: number, seed: number): number[] {
  return lcgUniforms(n, seed);
}

function mm(a: readonly number[], b: readonly number[], m: number, kk: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < kk; p++) out[i * n + j]! += a[i * kk + p]! * b[p * n + j]!;
  return out;
}

function runF64(t: k.Traced, values: Record<string, readonly number[]>): Record<string, number[]> {
  const out = interpret(t.graph, values, { precision: 'f64' });
  return Object.fromEntries(Object.entries(out).map(([n, v]) => [n, Array.from(v.data)]));
}

function close(a: readonly number[] | undefined, b: readonly number[], tol = 1e-9): void {
  expect(a).toBeDefined();
  expect(a!.length).toBe(b.length);
  b.forEach((e, i) => expect(Math.abs(a![i]! - e), `[${i}] ${a![i]} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e))));
}

describe('batchNorm', () => {
  // x [4, 2]: feature 0 = [1, 2, 3, 6], feature 1 = [0, 0, 4, 4].
  const x = [1, 0, 2, 0, 3, 4, 6, 4];
  const trainGraph = (): k.Traced => k.trace(({ x }) => k.layers.batchNorm(x, { training: true, momentum: 0.25, eps: 0 }), { x: k.f32([4, 2]) });

  it('train mode normalises with the biased batch variance and updates the running stats (unbiased var)', () => {
    const t = trainGraph();
    expect(t.params.map((p) => `${p.name}:${p.trainable}`)).toEqual(['batchnorm0.gamma:true', 'batchnorm0.beta:true', 'batchnorm0.running_mean:false', 'batchnorm0.running_var:false']);
    expect(t.updates).toEqual(['batchnorm0.running_mean', 'batchnorm0.running_var']);
    const out = runF64(t, { x, 'batchnorm0.gamma': [2, 1], 'batchnorm0.beta': [0, 10], 'batchnorm0.running_mean': [0, 0], 'batchnorm0.running_var': [1, 1] });
    // feature 0: mean 3, biased var (4+1+0+9)/4 = 3.5, unbiased 14/3; feature 1: mean 2, var 4, unbiased 16/3.
    const s0 = Math.sqrt(3.5);
    close(out['out'], [(2 * -2) / s0, 10 - 1, (2 * -1) / s0, 10 - 1, 0, 11, (2 * 3) / s0, 11]);
    close(out['batchnorm0.running_mean'], [0.75 * 0 + 0.25 * 3, 0.25 * 2]);
    close(out['batchnorm0.running_var'], [0.75 + 0.25 * (14 / 3), 0.75 + 0.25 * (16 / 3)]);
  });

  it('eval mode uses the running statistics and updates nothing', () => {
    const t = k.trace(({ x }) => k.layers.batchNorm(x, { training: false, eps: 0 }), { x: k.f32([4, 2]) });
    expect(t.updates).toEqual([]);
    const out = runF64(t, { x, 'batchnorm0.gamma': [1, 2], 'batchnorm0.beta': [0, 1], 'batchnorm0.running_mean': [1, 2], 'batchnorm0.running_var': [4, 1] });
    close(out['out'], [0, -3, 0.5, -3, 1, 5, 2.5, 5]);
  });

  it('normalises NHWC images per channel', () => {
    const t = k.trace(({ x }) => k.layers.batchNorm(x, { training: true, affine: false }).mul(1), { x: k.f32([2, 3, 3, 4]) });
    const vals = rand(72, 3);
    const out = runF64(t, { x: vals, 'batchnorm0.running_mean': [0, 0, 0, 0], 'batchnorm0.running_var': [1, 1, 1, 1] })['out']!;
    for (let c = 0; c < 4; c++) {
      const col = out.filter((_, i) => i % 4 === c);
      const m = col.reduce((a, v) => a + v, 0) / col.length;
      const v = col.reduce((a, u) => a + (u - m) ** 2, 0) / col.length;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(v).toBeCloseTo(1, 3); // eps = 1e-5 shrinks it slightly
    }
  });
});

describe('multiHeadAttention', () => {
  const T = 3;
  const D = 4;
  const heads = 2;
  const dh = D / heads;
  const p: Record<string, number[]> = {};
  for (const [i, n] of ['q', 'k', 'v', 'o'].entries()) {
    p[`mha0.${n}.w`] = rand(D * D, 20 + i);
    p[`mha0.${n}.b`] = rand(D, 30 + i);
  }
  const proj = (x: number[], n: string): number[] => mm(x, p[`mha0.${n}.w`]!, T, D, D).map((v, i) => v + p[`mha0.${n}.b`]![i % D]!);

  function jsMha(x: number[], causal: boolean): number[] {
    const [q, kk, v] = [proj(x, 'q'), proj(x, 'k'), proj(x, 'v')];
    const concat = new Array<number>(T * D).fill(0);
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < T; i++) {
        const scores: number[] = [];
        for (let j = 0; j < T; j++) {
          let s = 0;
          for (let d = 0; d < dh; d++) s += q[i * D + h * dh + d]! * kk[j * D + h * dh + d]!;
          scores.push(causal && j > i ? -Infinity : s / Math.sqrt(dh));
        }
        const m = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - m));
        const z = e.reduce((a, b) => a + b, 0);
        for (let d = 0; d < dh; d++) concat[i * D + h * dh + d] = e.reduce((a, w, j) => a + (w / z) * v[j * D + h * dh + d]!, 0);
      }
    return proj(concat, 'o');
  }

  for (const causal of [false, true]) {
    it(`matches a per-head JS reference${causal ? ' (causal)' : ''}`, () => {
      const t = k.trace(({ x }) => k.layers.multiHeadAttention(x, { heads, causal }), { x: k.f32([1, T, D]) });
      expect(t.params.map((q) => q.name)).toEqual(['mha0.q.w', 'mha0.q.b', 'mha0.k.w', 'mha0.k.b', 'mha0.v.w', 'mha0.v.b', 'mha0.o.w', 'mha0.o.b']);
      const x = rand(T * D, 40);
      close(runF64(t, { x, ...p })['out'], jsMha(x, causal));
    });
  }

  it('cross-attention takes keys and values from the context; bad head counts are rejected', () => {
    const t = k.trace(({ x, ctx }) => k.layers.multiHeadAttention(x, { heads: 2, context: ctx }), { x: k.f32([2, 3, 8]), ctx: k.f32([2, 5, 8]) });
    expect(t.outputs[0]!.type.shape).toEqual([2, 3, 8]);
    expect(() => k.trace(({ x }) => k.layers.multiHeadAttention(x, { heads: 3 }), { x: k.f32([1, 2, 8]) })).toThrowError(/does not split into 3 heads/);
  });

  it('transformer block keeps [B, T, D] and creates ln/attn/ff parameters in its scope', () => {
    const t = k.trace(({ x }) => k.layers.transformerBlock(x, { heads: 2, ffDim: 16, causal: true }), { x: k.f32([2, 5, 8]) });
    expect(t.outputs[0]!.type.shape).toEqual([2, 5, 8]);
    expect(t.params.map((q) => q.name)).toEqual([
      'block0.ln1.gain',
      'block0.ln1.bias',
      'block0.attn.q.w',
      'block0.attn.q.b',
      'block0.attn.k.w',
      'block0.attn.k.b',
      'block0.attn.v.w',
      'block0.attn.v.b',
      'block0.attn.o.w',
      'block0.attn.o.b',
      'block0.ln2.gain',
      'block0.ln2.bias',
      'block0.ff1.w',
      'block0.ff1.b',
      'block0.ff2.w',
      'block0.ff2.b',
    ]);
  });
});

describe('positional encoding', () => {
  it('PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same)', () => {
    const d = 6;
    const table = k.layers.sinusoidalTable(5, d);
    expect(table.length).toBe(30);
    expect(table[0]).toBe(0);
    expect(table[1]).toBe(1);
    expect(table[d + 0]).toBeCloseTo(Math.sin(1), 6);
    expect(table[d + 1]).toBeCloseTo(Math.cos(1), 6);
    expect(table[3 * d + 2]).toBeCloseTo(Math.sin(3 / Math.pow(10000, 2 / 6)), 6);
    expect(table[4 * d + 5]).toBeCloseTo(Math.cos(4 / Math.pow(10000, 4 / 6)), 6);
    const t = k.trace(() => k.layers.sinusoidalPositionalEncoding(5, d), {});
    expect(Array.from(interpret(t.graph, {})['out']!.data)).toEqual(Array.from(table));
  });
});

describe('residual', () => {
  it('adds f(x) to x; a shape change needs project', () => {
    const t = k.trace(({ x }) => k.layers.residual(x, (h) => h.mul(2)), { x: k.f32([3]) });
    close(runF64(t, { x: [1, 2, 3] })['out'], [3, 6, 9]);
    expect(() => k.trace(({ x }) => k.layers.residual(x, (h) => k.nn.linear(h, 3, 4)), { x: k.f32([2, 3]) })).toThrowError(/project: true/);
    const p = k.trace(({ x }) => k.layers.residual(x, (h) => k.nn.linear(h, 3, 4), { project: true, name: 'skip' }), { x: k.f32([2, 3]) });
    expect(p.params.map((q) => q.name)).toEqual(['linear0.w', 'linear0.b', 'skip.w']);
  });
});

describe('graphConv', () => {
  // Path graph 0 - 1 - 2 with self loops, Â = D^-1/2 (A + I) D^-1/2, degrees [2, 3, 2].
  const deg = [2, 3, 2];
  const edges: [number, number][] = [
    [0, 0],
    [1, 1],
    [2, 2],
    [0, 1],
    [1, 0],
    [1, 2],
    [2, 1],
  ];
  const w = edges.map(([s, d]) => 1 / Math.sqrt(deg[s]! * deg[d]!));
  const dense = new Array<number>(9).fill(0);
  edges.forEach(([s, d], e) => (dense[d * 3 + s] = w[e]!));
  const x = rand(3 * 2, 50);
  const W = rand(2 * 4, 51);

  it('dense and edge-list adjacency agree with Â·X·W + b computed in JS', () => {
    const t = k.trace(
      ({ x, adj, src, dst, ew }) => ({
        dense: k.layers.graphConv(x, adj, 2, 4, { name: 'g' }),
        sparse: k.layers.propagate(x.matmul(k.stateTensors()['g.w']!), { src, dst, weight: ew }).add(k.stateTensors()['g.b']!),
      }),
      { x: k.f32([3, 2]), adj: k.f32([3, 3]), src: k.i32([7]), dst: k.i32([7]), ew: k.f32([7]) },
    );
    const b = [0.5, -1, 0, 2];
    const out = runF64(t, { x, adj: dense, src: edges.map((e) => e[0]), dst: edges.map((e) => e[1]), ew: w, 'g.w': W, 'g.b': b });
    const want = mm(dense, mm(x, W, 3, 2, 4), 3, 3, 4).map((v, i) => v + b[i % 4]!);
    close(out['dense'], want);
    close(out['sparse'], want);
  });
});

describe('conv layers from k.nn', () => {
  it("conv1d with padding 'causal' keeps the length and never looks ahead", () => {
    const t = k.trace(({ x }) => k.nn.conv1d(x, 2, 3, 3, { padding: 'causal' }), { x: k.f32([1, 6, 2]) });
    expect(t.outputs[0]!.type.shape).toEqual([1, 6, 3]);
    const params = { 'conv1d0.w': rand(3 * 2 * 3, 60), 'conv1d0.b': [0.1, 0.2, 0.3] };
    const base = rand(12, 61);
    const a = runF64(t, { x: base, ...params })['out']!;
    const changed = [...base];
    changed[4 * 2] = 5; // position 4, channel 0
    const b = runF64(t, { x: changed, ...params })['out']!;
    for (let pos = 0; pos < 6; pos++) {
      const same = [0, 1, 2].every((c) => a[pos * 3 + c] === b[pos * 3 + c]);
      expect(same, `position ${pos}`).toBe(pos < 4);
    }
  });

  it('conv2d layer: NHWC shapes with stride and same padding', () => {
    const t = k.trace(({ x }) => k.nn.conv2d(x, 3, 8, 3, { stride: 2, padding: 'same' }), { x: k.f32([2, 7, 7, 3]) });
    expect(t.outputs[0]!.type.shape).toEqual([2, 4, 4, 8]);
    expect(t.params.map((q) => `${q.name}:${q.type.shape.join('x')}`)).toEqual(['conv2d0.w:3x3x3x8', 'conv2d0.b:8']);
  });
});
