// Conv1d, Conv2d, Embedding and LayerNorm modules: parameter names and shapes, equality with the
// k.nn functional forms given the same weights (both through k.jit on the CPU), and input checks.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { expectAllClose, parameterShapes, randTensor, runFunctional, runModule, weight } from './helpers.js';

describe('Conv2d', () => {
  it('names weight [KH, KW, inC/groups, outC] and bias, and equals k.nn.conv2d (stride, same padding, groups)', async () => {
    const opts = { stride: 2, padding: 'same', groups: 2 } as const;
    const conv = new k.nn.Conv2d(4, 6, [3, 2], opts);
    expect(parameterShapes(conv)).toEqual([
      ['weight', [3, 2, 2, 6]],
      ['bias', [6]],
    ]);
    const x = randTensor([2, 5, 5, 4], 1);
    const fn = await runFunctional(({ x }: { x: k.Tensor }) => k.nn.conv2d(x, 4, 6, [3, 2], opts), { x });
    // A nonzero bias, so the test sees it added.
    await conv.loadStateDict({ weight: weight(fn.weights, 'conv2d0.w'), bias: randTensor([6], 2) });
    const bias = (await conv.stateDict())['bias']!;
    const out = await runModule(({ x }: { x: k.Tensor }) => conv.forward(x), { x });
    expect(out.shape).toEqual([2, 3, 3, 6]);
    const noBias = await runModule(({ x }: { x: k.Tensor }) => k.conv2d(x, conv.weight, opts), { x });
    expectAllClose(noBias, fn.out);
    expectAllClose(
      out,
      k.tensor(
        Array.from(noBias.data, (v, i) => v + bias.data[i % 6]!),
        [2, 3, 3, 6],
      ),
    );
  });

  it('without bias has only the weight; dilation and explicit padding match the functional form', async () => {
    const opts = {
      dilation: 2,
      padding: [
        [1, 0],
        [0, 1],
      ],
      bias: false,
    } as const;
    const conv = new k.nn.Conv2d(3, 2, 2, opts);
    expect(parameterShapes(conv)).toEqual([['weight', [2, 2, 3, 2]]]);
    const x = randTensor([1, 4, 4, 3], 3);
    const fn = await runFunctional(({ x }: { x: k.Tensor }) => k.nn.conv2d(x, 3, 2, 2, opts), { x });
    await conv.loadStateDict({ weight: weight(fn.weights, 'conv2d0.w') });
    expectAllClose(await runModule(({ x }: { x: k.Tensor }) => conv.forward(x), { x }), fn.out);
  });

  it('rejects a non-NHWC input or the wrong channel count, naming the layer and both shapes', () => {
    const conv = new k.nn.Conv2d(3, 8, 3);
    expect(() => k.trace(({ x }) => conv.forward(x), { x: k.f32([1, 5, 5, 4]) })).toThrowError(/Conv2d expects NHWC input \[N, H, W, 3\], got \[1,5,5,4\]/);
    expect(() => k.trace(({ x }) => conv.forward(x), { x: k.f32([5, 5, 3]) })).toThrowError(/Conv2d expects NHWC input \[N, H, W, 3\], got \[5,5,3\]/);
    expect(() => new k.nn.Conv2d(3, 8, 3, { groups: 2 })).toThrowError(/groups must be a positive integer dividing both channel counts/);
  });
});

describe('Conv1d', () => {
  it('with causal padding equals k.nn.conv1d and output t depends only on inputs <= t', async () => {
    const conv = new k.nn.Conv1d(2, 3, 3, { padding: 'causal' });
    expect(parameterShapes(conv)).toEqual([
      ['weight', [3, 2, 3]],
      ['bias', [3]],
    ]);
    const x = randTensor([1, 6, 2], 4);
    const fn = await runFunctional(({ x }: { x: k.Tensor }) => k.nn.conv1d(x, 2, 3, 3, { padding: 'causal' }), { x });
    await conv.loadStateDict({ weight: weight(fn.weights, 'conv1d0.w'), bias: weight(fn.weights, 'conv1d0.b') });
    const f = k.jit(({ x }: { x: k.Tensor }) => conv.forward(x), { backend: 'cpu' });
    const out = await f({ x });
    expectAllClose(out, fn.out);
    // Changing the last step leaves every earlier output as it was.
    const later = k.tensor(
      Array.from(x.data, (v, i) => (i >= 10 ? v + 5 : v)),
      [1, 6, 2],
    );
    const out2 = await f({ x: later });
    expect(Array.from(out2.data.subarray(0, 15))).toEqual(Array.from(out.data.subarray(0, 15)));
    expect(Array.from(out2.data.subarray(15))).not.toEqual(Array.from(out.data.subarray(15)));
  });

  it('rejects an input that is not [N, L, inChannels]', () => {
    const conv = new k.nn.Conv1d(2, 3, 3);
    expect(() => k.trace(({ x }) => conv.forward(x), { x: k.f32([1, 6, 3]) })).toThrowError(/Conv1d expects NLC input \[N, L, 2\], got \[1,6,3\]/);
  });
});

describe('Embedding', () => {
  it('names weight [vocab, dim], equals k.nn.embedding, and range-checks ids on the host', async () => {
    const emb = new k.nn.Embedding(5, 3);
    expect(parameterShapes(emb)).toEqual([['weight', [5, 3]]]);
    const ids = k.tensor(
      [
        [0, 4],
        [2, 2],
      ],
      [2, 2],
      'i32',
    );
    const fn = await runFunctional(({ ids }: { ids: k.Tensor }) => k.nn.embedding(ids, 5, 3), { ids });
    await emb.loadStateDict({ weight: weight(fn.weights, 'embedding0.table') });
    const f = k.jit(({ ids }: { ids: k.Tensor }) => emb.forward(ids), { backend: 'cpu' });
    const out = await f({ ids });
    expect(out.shape).toEqual([2, 2, 3]);
    expectAllClose(out, fn.out);
    await expect(f({ ids: k.tensor([1, 5], [2], 'i32') })).rejects.toThrowError(/index 5 at element 1 of input 'ids' is out of range: expected 0 ≤ index < 5/);
  });

  it('rejects float ids', () => {
    const emb = new k.nn.Embedding(5, 3);
    expect(() => k.trace(({ ids }) => emb.forward(ids), { ids: k.f32([2]) })).toThrowError(/Embedding expects integer ids \(i32 or u32\), got f32/);
  });
});

describe('LayerNorm', () => {
  it('names weight and bias [features], equals k.nn.layerNorm with the same gain and bias', async () => {
    const ln = new k.nn.LayerNorm(4, { eps: 1e-3 });
    expect(parameterShapes(ln)).toEqual([
      ['weight', [4]],
      ['bias', [4]],
    ]);
    const x = randTensor([3, 4], 5);
    const gain = randTensor([4], 6);
    const bias = randTensor([4], 7);
    await ln.loadStateDict({ weight: gain, bias });
    const out = await runModule(({ x }: { x: k.Tensor }) => ln.forward(x), { x });
    // The functional layer's own gain/bias start at ones/zeros: compare against the same op with explicit gain and bias.
    const ref = await runModule(({ x, g, b }: { x: k.Tensor; g: k.Tensor; b: k.Tensor }) => k.layerNorm(x, { gain: g, bias: b, eps: 1e-3 }), { x, g: gain, b: bias });
    expectAllClose(out, ref);
    // And at its initial values it is the functional layer.
    const fresh = new k.nn.LayerNorm(4, { eps: 1e-3 });
    const fn = await runFunctional(({ x }: { x: k.Tensor }) => k.nn.layerNorm(x, { eps: 1e-3 }), { x });
    expectAllClose(await runModule(({ x }: { x: k.Tensor }) => fresh.forward(x), { x }), fn.out);
  });

  it('affine: false has no parameters; a wrong feature count is an error', () => {
    const ln = new k.nn.LayerNorm(4, { affine: false });
    expect(ln.namedParameters()).toEqual([]);
    expect(() => k.trace(({ x }) => ln.forward(x), { x: k.f32([2, 5]) })).toThrowError(/LayerNorm expects input \[\.\.\., 4\] \(4 features in the last dim\), got \[2,5\]/);
  });
});
