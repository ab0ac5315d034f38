// End to end: trace a 2-layer MLP, print and verify its IR, round-trip it through the parser, run
// it on the CPU backend via compile(), and check the loss against a plain-JS forward pass.

import { describe, expect, it } from 'vitest';
import { parse, print, verify } from '@kiln/ir';
import * as k from '@kiln/frontend';
import { expectClose, seq } from './helpers.js';

const B = 4;
const mlp = () =>
  k.trace(
    ({ x, y }) => {
      const h = k.nn.linear(x, 784, 256).relu();
      const logits = k.nn.linear(h, 256, 10);
      const loss = k.losses.softmaxCrossEntropy(logits, y).mean();
      return { loss, pred: logits.argmax(-1) };
    },
    { x: k.f32([B, 784]), y: k.i32([B]) },
    { name: 'mlp' },
  );

/** Plain-JS forward pass of the same model in f64. */
function jsForward(x: ArrayLike<number>, y: readonly number[], p: Record<string, ArrayLike<number>>): { loss: number; pred: number[] } {
  const dense = (inp: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number>, n: number, m: number): number[] => {
    const out: number[] = [];
    for (let r = 0; r < B; r++)
      for (let j = 0; j < m; j++) {
        let s = b[j]!;
        for (let i = 0; i < n; i++) s += inp[r * n + i]! * w[i * m + j]!;
        out.push(s);
      }
    return out;
  };
  const h = dense(x, p['linear0.w']!, p['linear0.b']!, 784, 256).map((v) => Math.max(v, 0));
  const logits = dense(h, p['linear1.w']!, p['linear1.b']!, 256, 10);
  let loss = 0;
  const pred: number[] = [];
  for (let r = 0; r < B; r++) {
    const row = logits.slice(r * 10, r * 10 + 10);
    const m = Math.max(...row);
    loss += m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)) - row[y[r]!]!;
    pred.push(row.indexOf(m));
  }
  return { loss: loss / B, pred };
}

describe('2-layer MLP end to end', () => {
  it('prints readable IR with params as state inputs, verifies, and round-trips', () => {
    const t = mlp();
    const text = t.print();
    expect(text.split('\n')[0]).toBe(
      'graph @mlp(%x: f32[4,784], %y: i32[4], %linear0.w: f32[784,256] {state}, %linear0.b: f32[256] {state}, %linear1.w: f32[256,10] {state}, %linear1.b: f32[10] {state}) -> (loss: f32[], pred: i32[4]) {',
    );
    expect(text).toContain('= matmul %x, %linear0.w');
    expect(text).toMatch(/%loss: f32\[\] = div /);
    expect(text.trimEnd().split('\n').slice(-2)).toEqual(['  return %loss, %pred', '}']);
    expect(verify(t.graph)).toEqual([]);
    expect(print(parse(text))).toBe(text);
    expect(t.params.map((p) => p.name)).toEqual(['linear0.w', 'linear0.b', 'linear1.w', 'linear1.b']);
  });

  it('runs on the CPU backend and matches a plain-JS forward pass', async () => {
    const t = mlp();
    const step = await k.compile(t, { backend: 'cpu', seed: 3 });
    expect(step.backend).toBe('cpu');
    const x = Float32Array.from(seq(B * 784), (i) => Math.sin(i * 0.37));
    const y = [3, 1, 4, 1];
    const out = await step.run({ x, y });
    expect(typeof out['loss']).toBe('number');
    const params = await step.params();
    // Initial values are exactly the initializers' output for the seed.
    for (const p of t.params) expect(Array.from(params[p.name]!)).toEqual(Array.from(k.initialize(p, 3)));
    const want = jsForward(x, y, params);
    expectClose([out['loss'] as number], [want.loss], 1e-4);
    expect(Array.from(out['pred'] as Int32Array)).toEqual(want.pred);
    step.dispose();
  });

  it("'auto' says which backend it picked and why; KILN_BACKEND overrides; seeds change the parameters", async () => {
    const t = mlp();
    const a = await k.compile(t, { backend: 'auto' });
    // A WebGPU adapter (llvmpipe in CI) is preferred; without one the reason says what failed.
    if (a.backend === 'webgpu') expect(a.backendReason).toMatch(/default auto|backend: 'auto'/);
    else expect(a.backendReason).toMatch(/no WebGPU/);
    const saved = process.env['KILN_BACKEND'];
    try {
      process.env['KILN_BACKEND'] = 'cpu';
      const c = await k.compile(t, { backend: 'auto' });
      expect(c.backend).toBe('cpu');
      expect(c.backendReason).toMatch(/KILN_BACKEND=cpu/);
      c.dispose();
      process.env['KILN_BACKEND'] = 'gpu';
      await expect(k.compile(t)).rejects.toThrow(/KILN_BACKEND must be one of auto, cpu, webgpu, got 'gpu'/);
    } finally {
      if (saved === undefined) delete process.env['KILN_BACKEND'];
      else process.env['KILN_BACKEND'] = saved;
    }
    const b = await k.compile(t, { seed: 1 });
    expect(Array.from(await b.getParam('linear0.w'))).not.toEqual(Array.from(await a.getParam('linear0.w')));
    a.dispose();
    b.dispose();
  });

  it("precision 'f64' keeps 'auto' on the interpreter and is refused by 'webgpu'", async () => {
    const t = mlp();
    const a = await k.compile(t, { backend: 'auto', precision: 'f64' });
    expect(a.backend).toBe('cpu');
    expect(a.backendReason).toMatch(/f64/);
    await expect(k.compile(t, { backend: 'webgpu', precision: 'f64' })).rejects.toThrow(/f32 only/);
  });
});

describe('Step', () => {
  it('applies state updates between runs; setParam/getParam round-trip', async () => {
    const t = k.trace(
      ({ x }) => {
        const count = k.state('count', []);
        const w = k.param('w', [2], k.init.values([1, 2]));
        k.assign(count, count.add(1));
        return { y: x.mul(w).sum(), updates: { w: w.mul(2) } };
      },
      { x: k.f32([2]) },
    );
    const step = await k.compile(t);
    expect(await step.run({ x: [1, 1] })).toEqual({ y: 3 });
    expect(await step.run({ x: [1, 1] })).toEqual({ y: 6 });
    expect(Array.from(await step.getParam('count'))).toEqual([2]);
    step.setParam('w', [10, 0]);
    expect((await step.run({ x: [1, 1] }))['y']).toBe(10);
    const ps = await step.params();
    expect(Object.keys(ps)).toEqual(['count', 'w']);
    expect(Array.from(ps['w']!)).toEqual([20, 0]);
  });

  it('reports unknown and missing inputs, and use after dispose', async () => {
    const step = await k.compile(k.trace(({ x }) => ({ out: x.neg(), vec: x.neg().reshape([1]) }), { x: k.f32([]) }));
    await expect(step.run({ x: 1, z: 2 })).rejects.toThrowError(/unknown input %z/);
    await expect(step.run({})).rejects.toThrowError(/missing input %x/);
    const out = await step.run({ x: 2 });
    expect(out['out']).toBe(-2);
    expect(out['vec']).toEqual(Float32Array.from([-2]));
    step.dispose();
    await expect(step.run({ x: 2 })).rejects.toThrowError(/disposed/);
  });

  it('initial parameter overrides and the rng state advancing dropout masks', async () => {
    const t = k.trace(({ x }) => ({ y: k.nn.dropout(x, 0.5) }), { x: k.f32([64]) });
    await expect(k.compile(t, { params: { nope: [1] } })).rejects.toThrowError(/%nope, which is not a state input/);
    const step = await k.compile(t, { params: { rng: [1, 0] } });
    expect(Array.from(await step.getParam('rng'))).toEqual([1, 0]);
    const ones = new Float32Array(64).fill(1);
    const a = (await step.run({ x: ones }))['y'] as Float32Array;
    const b = (await step.run({ x: ones }))['y'] as Float32Array;
    expect(Array.from(await step.getParam('rng'))).toEqual([1, 2]);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(a.every((v) => v === 0 || v === 2)).toBe(true);
  });
});

describe('printed IR of composite-heavy graphs', () => {
  it('round-trips through the parser (constants like inf, -1e30 and u32 key offsets included)', () => {
    const t = k.trace(
      ({ x, ids }) => {
        const e = k.nn.embedding(ids, 16, 8);
        const att = k.nn.scaledDotProductAttention(e, e, e, { causal: true });
        const h = k.nn.dropout(k.nn.layerNorm(att.add(x)), 0.1);
        const img = h.reshape([1, 4, 2, 8]);
        const pooled = k.avgPool2d(k.nn.conv2d(img, 8, 4, 3, { padding: 'same' }), 3, { stride: 2, padding: 'same' });
        return { loss: pooled.logsumexp().add(k.losses.binaryCrossEntropyWithLogits(h, 0.5, { reduction: 'mean' })) };
      },
      { x: k.f32([8, 8]), ids: k.i32([8]) },
    );
    const text = t.print();
    expect(text).toContain('{value=inf}');
    expect(text).toContain('-1e+30');
    expect(print(parse(text))).toBe(text);
    expect(verify(parse(text))).toEqual([]);
  });
});
