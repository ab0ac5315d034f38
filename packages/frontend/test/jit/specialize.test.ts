// k.jit specializations: a model trained at batch 128 on WebGPU predicts at batches 1, 7 and
// 10,000 with the logits of the CPU interpreter given the same weights; one compile per shape;
// every specialization binds the same state slots (checked through the state store, not timing).

import { describe, expect, expectTypeOf, it } from 'vitest';
import * as k from '../../src/index.js';

class Mlp extends k.nn.Module {
  fc1 = new k.nn.Linear(16, 32);
  fc2 = new k.nn.Linear(32, 4);
  forward(x: k.Tensor): k.Tensor {
    return this.fc2.forward(this.fc1.forward(x).relu());
  }
}

/** Deterministic pseudo-random rows and labels (label = argmax of the first four features). */
function data(n: number, seed: number): { x: k.HostTensor; y: k.HostTensor } {
  const xs = new Float32Array(n * 16);
  let s = seed;
  for (let i = 0; i < xs.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    xs[i] = s / 2 ** 32 - 0.5;
  }
  const ys = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let best = 0;
    for (let j = 1; j < 4; j++) if (xs[r * 16 + j]! > xs[r * 16 + best]!) best = j;
    ys[r] = best;
  }
  return { x: k.tensor(xs, [n, 16]), y: k.tensor(ys, [n]) };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return m;
}

describe('k.jit', () => {
  it('trains at batch 128 on WebGPU, predicts at 1, 7 and 10,000 like the CPU interpreter, sharing one state', async () => {
    k.manualSeed(11);
    const model = new Mlp();
    const opt = k.optim.adam({ lr: 1e-2 });
    const step = k.jit(
      ({ x, y }: k.Inputs<'x' | 'y'>) => {
        const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
        return { loss, updates: opt.minimize(loss) };
      },
      { backend: 'webgpu' },
    );
    const predict = k.jit(({ x }: k.Inputs<'x'>) => ({ logits: model.forward(x) }), { backend: 'webgpu' });
    const train = data(128, 1);
    const first = (await step(train)).loss.item();
    for (let i = 0; i < 30; i++) await step(train);
    const last = (await step(train)).loss.item();
    expect(last).toBeLessThan(first * 0.7);
    expect(step.backend).toBe('webgpu');

    const store = model.fc1.weight.store;
    expect(store?.backend).toBe('webgpu');
    const slots = model.parameters().map((p) => p.slotIn(store!));
    const cpuModel = new Mlp();
    await cpuModel.loadStateDict(await model.stateDict());
    const before = store!.stats;
    const oracle = k.jit(({ x }: k.Inputs<'x'>) => ({ logits: cpuModel.forward(x) }), { backend: 'cpu' });
    for (const n of [1, 7, 10_000]) {
      const { x } = data(n, 100 + n);
      const got = (await predict({ x })).logits;
      const want = (await oracle({ x })).logits;
      expect(got.shape).toEqual([n, 4]);
      expect(maxRelDiff(got.data, want.data)).toBeLessThan(1e-4);
    }
    // A last partial batch trains through its own specialization, on the same weights.
    await step(data(50, 3));

    // One compile per distinct shape, and reuse afterwards.
    expect(predict.cacheInfo().misses).toBe(3);
    await predict({ x: data(7, 9).x });
    expect(predict.cacheInfo()).toMatchObject({ misses: 3, hits: 1, size: 3 });
    expect(predict.cacheInfo().entries.map((e) => e.signature)).toEqual(['x: f32[1,16]', 'x: f32[7,16]', 'x: f32[10000,16]']);
    expect(step.cacheInfo().misses).toBe(2);
    // No parameter was copied: the same slots, no new allocation, no host round trip.
    const after = store!.stats;
    expect(model.parameters().map((p) => p.slotIn(store!))).toEqual(slots);
    expect(after.allocations).toBe(before.allocations);
    expect(after.writes).toBe(before.writes);
    expect(after.reads - before.reads).toBe(0);
    step.dispose();
    predict.dispose();
    oracle.dispose();
  });

  it('moves variables between the CPU interpreter and WebGPU with their values', async () => {
    k.manualSeed(5);
    const model = new Mlp();
    const { x } = data(3, 4);
    const onGpu = k.jit(({ x }: k.Inputs<'x'>) => model.forward(x), { backend: 'webgpu' });
    const onCpu = k.jit(({ x }: k.Inputs<'x'>) => model.forward(x), { backend: 'cpu' });
    const opt = k.optim.sgd({ lr: 0.5 });
    const train = k.jit(
      ({ x }: k.Inputs<'x'>) => {
        const loss = model.forward(x).square().mean();
        return { loss, updates: opt.minimize(loss) };
      },
      { backend: 'webgpu' },
    );
    await train({ x });
    const a = await onGpu({ x });
    expect(model.fc1.weight.store?.backend).toBe('webgpu');
    const b = await onCpu({ x });
    expect(model.fc1.weight.store?.backend).toBe('cpu');
    expect(maxRelDiff(a.data, b.data)).toBeLessThan(1e-5);
    // Back on WebGPU the specialization is rebuilt against the new slots, with the same values.
    const c = await onGpu({ x });
    expect(maxRelDiff(c.data, b.data)).toBeLessThan(1e-5);
    expect(onGpu.cacheInfo().misses).toBe(2);
  });

  it('types results from what the function returns; runtime hyperparameters need no casts', async () => {
    const model = new Mlp();
    const opt = k.optim.sgd();
    const step = k.jit(
      ({ x, y, lr }: k.Inputs<'x' | 'y' | 'lr'>) => {
        const logits = model.forward(x);
        const loss = k.losses.softmaxCrossEntropy(logits, y, { reduction: 'mean' });
        return { loss, logits, updates: opt.minimize(loss, { lr }) };
      },
      { backend: 'cpu' },
    );
    type Out = Awaited<ReturnType<typeof step>>;
    expectTypeOf<Out>().toEqualTypeOf<{ readonly loss: k.HostTensor; readonly logits: k.HostTensor }>();
    expectTypeOf(step).parameter(0).toEqualTypeOf<{ readonly x: k.TensorInput; readonly y: k.TensorInput; readonly lr: k.TensorInput }>();
    const _single = k.jit(({ x }: k.Inputs<'x'>) => model.forward(x), { backend: 'cpu' });
    expectTypeOf<Awaited<ReturnType<typeof _single>>>().toEqualTypeOf<k.HostTensor>();

    const d = data(8, 2);
    const w0 = (await model.fc2.weight.read()).data.slice();
    const zero = await step({ ...d, lr: 0 });
    expect(Array.from((await model.fc2.weight.read()).data)).toEqual(Array.from(w0));
    expect(zero.logits.shape).toEqual([8, 4]);
    expect(zero.loss.shape).toEqual([]);
    expect(typeof zero.loss.item()).toBe('number');
    const nested = zero.logits.toArray();
    expect(Array.isArray(nested) && nested.length === 8).toBe(true);
    await step({ ...d, lr: 0.5 });
    expect(Array.from((await model.fc2.weight.read()).data)).not.toEqual(Array.from(w0));
    // Changing the learning rate reuses the compiled step: it is an input, not a constant.
    expect(step.cacheInfo().misses).toBe(1);
    step.dispose();
    await expect(step({ ...d, lr: 0.5 })).rejects.toThrowError(/was disposed: make a new k\.jit function/);
  });

  it('recompiles when a flag the trace read changes (freeze), and reuses both afterwards', async () => {
    const model = new Mlp();
    const opt = k.optim.sgd({ lr: 0.1 });
    const step = k.jit(
      ({ x }: k.Inputs<'x'>) => {
        const loss = model.forward(x).square().mean();
        return { loss, updates: opt.minimize(loss) };
      },
      { backend: 'cpu' },
    );
    const { x } = data(4, 1);
    await step({ x });
    model.fc1.freeze();
    const frozen = (await model.fc1.weight.read()).data.slice();
    await step({ x });
    expect(Array.from((await model.fc1.weight.read()).data)).toEqual(Array.from(frozen));
    model.fc1.unfreeze();
    await step({ x });
    expect(Array.from((await model.fc1.weight.read()).data)).not.toEqual(Array.from(frozen));
    expect(step.cacheInfo()).toMatchObject({ misses: 2, size: 2 });
  });
});
