// Parameter-free modules: Dropout (identity in eval mode, inverted dropout in training mode, a new
// mask each call), the activation layers, pooling and Flatten against their k.nn functions, and a
// CNN built from them in Sequential.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { expectAllClose, randTensor, runModule } from './helpers.js';

describe('Dropout', () => {
  it('is the identity in eval mode (and the graph has no random state)', async () => {
    const drop = new k.nn.Dropout(0.5).eval();
    const x = randTensor([4, 8], 1);
    const f = k.jit(({ x }: { x: k.Tensor }) => drop.forward(x).mul(1), { backend: 'cpu' });
    expect(Array.from((await f({ x })).data)).toEqual(Array.from(x.data));
    expect(f.lastCompiled?.traced.params).toEqual([]);
  });

  it('in training mode zeroes about `rate` of the elements, scales the rest by 1/(1-rate), and draws a new mask each call', async () => {
    const drop = new k.nn.Dropout(0.25);
    const x = k.tensor(new Float32Array(2000).fill(1), [2000]);
    const f = k.jit(({ x }: { x: k.Tensor }) => drop.forward(x), { backend: 'cpu' });
    const a = await f({ x });
    const b = await f({ x });
    const values = new Set(Array.from(a.data));
    expect([...values].sort()).toEqual([0, Math.fround(1 / 0.75)]);
    const zeros = Array.from(a.data).filter((v) => v === 0).length / 2000;
    expect(zeros).toBeGreaterThan(0.2);
    expect(zeros).toBeLessThan(0.3);
    expect(Array.from(b.data)).not.toEqual(Array.from(a.data));
    expect(() => new k.nn.Dropout(1)).toThrowError(/rate must be in \[0, 1\), got 1/);
  });
});

describe('activation layers', () => {
  const x = randTensor([3, 5], 2);
  const cases: [string, k.nn.Layer, (t: k.Tensor) => k.Tensor][] = [
    ['ReLU', new k.nn.ReLU(), k.nn.relu],
    ['LeakyReLU', new k.nn.LeakyReLU(0.2), (t) => k.nn.leakyRelu(t, 0.2)],
    ['Tanh', new k.nn.Tanh(), k.tanh],
    ['Sigmoid', new k.nn.Sigmoid(), k.nn.sigmoid],
    ['GELU', new k.nn.GELU(), (t) => k.nn.gelu(t)],
    ['GELU(approximate)', new k.nn.GELU(true), (t) => k.nn.gelu(t, true)],
    ['SiLU', new k.nn.SiLU(), k.nn.silu],
    ['Softplus', new k.nn.Softplus(), k.nn.softplus],
    ['Softmax(0)', new k.nn.Softmax(0), (t) => k.nn.softmax(t, 0)],
    ['LogSoftmax', new k.nn.LogSoftmax(), (t) => k.nn.logSoftmax(t)],
  ];
  for (const [name, layer, fn] of cases)
    it(`${name} equals its function and has no parameters`, async () => {
      expect(layer.namedParameters()).toEqual([]);
      expectAllClose(await runModule(({ x }: { x: k.Tensor }) => layer.forward(x), { x }), await runModule(({ x }: { x: k.Tensor }) => fn(x), { x }));
    });
});

describe('pooling and Flatten', () => {
  const img = randTensor([2, 4, 4, 3], 3);

  it('MaxPool2d and AvgPool2d equal k.nn.maxPool2d / avgPool2d with the same options', async () => {
    const cases: [k.nn.Layer, (t: k.Tensor) => k.Tensor][] = [
      [new k.nn.MaxPool2d(2), (t) => k.nn.maxPool2d(t, 2)],
      [new k.nn.MaxPool2d(3, { stride: 1, padding: 'same' }), (t) => k.nn.maxPool2d(t, 3, { stride: 1, padding: 'same' })],
      [new k.nn.AvgPool2d([2, 1]), (t) => k.nn.avgPool2d(t, [2, 1])],
      [new k.nn.AvgPool2d(3, { stride: 2, padding: 'same' }), (t) => k.nn.avgPool2d(t, 3, { stride: 2, padding: 'same' })],
    ];
    for (const [layer, fn] of cases)
      expectAllClose(await runModule(({ x }: { x: k.Tensor }) => layer.forward(x), { x: img }), await runModule(({ x }: { x: k.Tensor }) => fn(x), { x: img }));
    const pool = new k.nn.MaxPool2d(2);
    expect(() => k.trace(({ x }) => pool.forward(x), { x: k.f32([4, 4, 3]) })).toThrowError(/MaxPool2d expects NHWC input \[N, H, W, C\], got \[4,4,3\]/);
  });

  it('Flatten keeps the batch dim and the row-major order', async () => {
    const out = await runModule(({ x }: { x: k.Tensor }) => new k.nn.Flatten().forward(x), { x: img });
    expect(out.shape).toEqual([2, 48]);
    expect(Array.from(out.data)).toEqual(Array.from(img.data));
  });

  it('a small CNN in Sequential names its layers by index and gives [N, classes]', async () => {
    const cnn = new k.nn.Sequential(
      new k.nn.Conv2d(3, 4, 3, { padding: 'same' }),
      new k.nn.ReLU(),
      new k.nn.MaxPool2d(2),
      new k.nn.Flatten(),
      new k.nn.Linear(16, 5),
      new k.nn.Softmax(),
    );
    expect(cnn.namedParameters().map((p) => p.name)).toEqual(['0.weight', '0.bias', '4.weight', '4.bias']);
    // Held in a field (see sequential-root below for a Sequential traced as the root).
    class Net extends k.nn.Module {
      readonly features = cnn;
      forward(x: k.Tensor): k.Tensor {
        return this.features.forward(x);
      }
    }
    const net = new Net();
    expect(net.summary(k.f32([2, 4, 4, 3]))).toMatch(/features\.3\s+Flatten\s+\[2,16\]/);
    const probs = await runModule(({ x }: { x: k.Tensor }) => net.forward(x), { x: img });
    expect(probs.shape).toEqual([2, 5]);
    expect(Array.from(probs.data).reduce((a, v) => a + v, 0)).toBeCloseTo(2, 5);
  });

  it('a Sequential traced as the root module prefixes its index paths with its label', () => {
    const seq = new k.nn.Sequential(new k.nn.Linear(3, 2), new k.nn.ReLU());
    const t = k.trace(({ x }) => seq.forward(x), { x: k.f32([1, 3]) });
    expect(t.params.map((p) => p.name)).toEqual(['sequential.0.weight', 'sequential.0.bias']);
    expect(seq.namedParameters().map((p) => p.name)).toEqual(['0.weight', '0.bias']);
  });
});
