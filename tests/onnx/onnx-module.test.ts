// k.onnx end to end: test-data models survive import -> export -> import with identical CPU
// results; an imported pytorch-converted model fine-tunes under k.jit (loss falls); the MNIST MLP
// exported by k.onnx.save gives onnxruntime-node's outputs within 1e-5.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { decodeModel, decodeTensor, exportGraph, importModel, tensorNumbers, toKilnTensor, type ImportedModel, type KilnTensor } from '@kiln/onnx';
import { interpret } from '@kiln/runtime';
import * as ort from 'onnxruntime-node';
import { Mlp } from '../../examples/mlp-mnist.js';

const DATA = process.env['KILN_ONNX_DATA'] ?? '/usr/share/libonnx-testdata/data';

function feedsFor(m: ImportedModel, dir: string): Record<string, KilnTensor> {
  const feeds: Record<string, KilnTensor> = {};
  m.inputs.forEach((inp, i) => (feeds[inp.name] = toKilnTensor(decodeTensor(readFileSync(join(dir, 'test_data_set_0', `input_${i}.pb`))), inp.onnxName)));
  for (const p of m.params) feeds[p.name] = p.value;
  return feeds;
}

describe('k.onnx', () => {
  it('a model with sequence inputs and outputs runs positionally, one tensor per item; forwardNamed refuses it', async () => {
    const model = k.onnx.load(readFileSync(join(DATA, 'node/test_sequence_insert_at_back/model.onnx')), { sequenceInputs: { sequence: [[2], [1]] } });
    expect(model.inputNames).toEqual(['sequence', 'sequence', 'tensor']); // the graph's input order, items in place
    const run = k.jit(
      ({ t, s0, s1 }: { t: k.Tensor; s0: k.Tensor; s1: k.Tensor }) => {
        const outs = model.forward(s0, s1, t);
        const [a, b, c] = Array.isArray(outs) ? outs : [outs];
        if (a === undefined || b === undefined || c === undefined) throw new Error('expected three items');
        return { a, b, c };
      },
      { backend: 'cpu' },
    );
    const r = await run({ t: k.tensor([7, 8, 9], [3], 'i32'), s0: k.tensor([1, 2], [2], 'i32'), s1: k.tensor([3], [1], 'i32') });
    expect([r.a, r.b, r.c].map((t) => Array.from(t.data))).toEqual([[1, 2], [3], [7, 8, 9]]);
    expect(() => model.forwardNamed({})).toThrow(/sequence inputs or outputs .* use forward/);
  });

  for (const name of [
    'pytorch-converted/test_Conv2d',
    'pytorch-converted/test_Linear',
    'pytorch-converted/test_Embedding',
    'node/test_gemm_all_attributes',
    'node/test_softmax_axis_1',
    'node/test_reduce_mean_keepdims_example',
  ])
    it(`round-trips ${name} through export`, () => {
      const dir = join(DATA, name);
      const first = importModel(decodeModel(readFileSync(join(dir, 'model.onnx'))));
      const state = Object.fromEntries(first.params.map((p) => [p.name, p.value]));
      const bytes = exportGraph(first.graph, state);
      const second = importModel(decodeModel(bytes));
      // Every parameter survives (export also stores constants as initializers, so there may be more).
      for (const p of first.params) expect(second.params.some((q) => q.onnxName === p.name)).toBe(true);
      const a = interpret(first.graph, feedsFor(first, dir));
      const b = interpret(second.graph, feedsFor(second, dir));
      const want = decodeTensor(readFileSync(join(dir, 'test_data_set_0', 'output_0.pb')));
      const outA = a[first.outputs[0]?.name ?? ''];
      const outB = b[second.outputs[0]?.name ?? ''];
      const wantValues = tensorNumbers(want, 'expected');
      expect(outA?.data.length).toBe(wantValues.length);
      wantValues.forEach((w, i) => expect(Math.abs((outA?.data[i] ?? NaN) - w)).toBeLessThanOrEqual(1e-7 + 1e-3 * Math.abs(w)));
      expect(Array.from(outB?.data ?? [])).toEqual(Array.from(outA?.data ?? []));
    });

  it('fine-tunes an imported pytorch-converted model with k.jit (loss falls)', async () => {
    const model = k.onnx.load(readFileSync(join(DATA, 'pytorch-converted/test_Linear/model.onnx')), { trainable: true });
    expect(model.namedParameters().filter((p) => p.trainable).length).toBe(2);
    const opt = k.optim.sgd({ lr: 0.1 });
    const step = k.jit(
      ({ x, y }: { x: k.Tensor; y: k.Tensor }) => {
        const out = model.forward(x);
        if (Array.isArray(out)) throw new Error('one output expected');
        const loss = k.mean(k.square(k.sub(out, y)));
        return { loss, updates: opt.minimize(loss) };
      },
      { backend: 'cpu' },
    );
    const x = k.tensor(
      Array.from({ length: 40 }, (_, i) => Math.sin(i)),
      [4, 10],
    );
    const y = k.tensor(
      Array.from({ length: 32 }, (_, i) => Math.cos(i) * 0.5),
      [4, 8],
    );
    const losses: number[] = [];
    for (let s = 0; s < 5; s++) losses.push((await step({ x, y })).loss.item());
    for (let s = 1; s < losses.length; s++) expect(losses[s]).toBeLessThan(losses[s - 1] ?? Infinity);
    expect(losses[4]).toBeLessThan((losses[0] ?? 0) * 0.9);
  });

  it('the exported MNIST MLP runs in onnxruntime-node within 1e-5 of Kiln', async () => {
    k.manualSeed(3);
    const model = new Mlp(64);
    const bytes = await k.onnx.save(model, { x: k.f32([8, 784]) });
    const xs = Float32Array.from({ length: 8 * 784 }, (_, i) => ((i * 2654435761) % 1000) / 1000);
    const predict = k.jit(({ x }: { x: k.Tensor }) => ({ logits: model.forward(x) }), { backend: 'cpu' });
    const kiln = (await predict({ x: k.tensor(xs, [8, 784]) })).logits.data;
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', xs, [8, 784]) });
    const got = Object.values(out)[0]?.data;
    expect(got).toBeInstanceOf(Float32Array);
    const ref = got instanceof Float32Array ? got : new Float32Array();
    expect(ref.length).toBe(80);
    for (let i = 0; i < 80; i++) expect(Math.abs((ref[i] ?? NaN) - (kiln[i] ?? NaN))).toBeLessThanOrEqual(1e-5);
  });
});
