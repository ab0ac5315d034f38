// Bad input never computes silently: wrong dtypes, lengths and shapes, out-of-range labels and
// indices, missing inputs and NaNs are errors naming the input or the op and the user's line.

import { describe, expect, it } from 'vitest';
import * as k from '../../src/index.js';

const HERE = /bad-input\.test\.ts:\d+/;

class Classifier extends k.nn.Module {
  fc = new k.nn.Linear(4, 3);
  forward(x: k.Tensor): k.Tensor {
    return this.fc.forward(x);
  }
}

function trainer(model: Classifier, opts: k.JitOptions = {}) {
  const opt = k.optim.sgd({ lr: 0.1 });
  return k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => {
      const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    { backend: 'cpu', ...opts },
  );
}

const x = k.tensor([
  [1, 2, 3, 4],
  [0, 1, 0, 1],
]);

describe('bad input', () => {
  it('rejects non-integers, out-of-range values and non-numbers for integer dtypes in k.tensor', () => {
    expect(() => k.tensor([0, 1.5], [2], 'i32')).toThrowError(/element 1 is 1\.5, which is not an i32/);
    expect(() => k.tensor(new Float32Array([2, 0.25]), [2], 'i32')).toThrowError(/element 1 is 0\.25/);
    expect(() => k.tensor([-1], [1], 'u32')).toThrowError(/element 0 is -1, which is not an u32/);
    expect(() => k.tensor([2 ** 31], [1], 'i32')).toThrowError(/not an i32/);
    expect(() => k.tensor([1, 'a' as never])).toThrowError(/element \[1\] is string, not a number/);
    expect(() => k.tensor([[1, 2], [3]])).toThrowError(/ragged nested arrays: \[1\] has 1 entries, expected 2/);
    expect(() => k.tensor(new Float32Array(10), [3, 4])).toThrowError(/shape \[3,4\] needs 12 element\(s\), the data has 10/);
    expect(() => k.tensor(new Uint8Array(2))).toThrowError(/a Uint8Array needs an explicit dtype/);
  });

  it('an out-of-range class label is an error naming the input, the op and the line; nothing is computed', async () => {
    const model = new Classifier();
    const step = trainer(model);
    const before = (await model.fc.weight.read()).data.slice();
    const bad = k.tensor([1, 3], [2], 'i32');
    await expect(step({ x, y: bad })).rejects.toThrowError(
      /softmaxCrossEntropy: label 3 at element 1 of input 'y' is out of range: expected 0 ≤ label < 3 \(used at .*bad-input\.test\.ts:\d+/,
    );
    expect(Array.from((await model.fc.weight.read()).data)).toEqual(Array.from(before));
    // The check can be turned off (the caller vouches for the data).
    await expect(trainer(model, { checks: 'off' })({ x, y: k.tensor([1, 2], [2], 'i32') })).resolves.toBeDefined();
  });

  it('an out-of-range embedding index is an error', async () => {
    const table = k.jit(({ ids }: k.Inputs<'ids'>) => k.nn.embedding(ids, 5, 2, { name: 'emb' }), { backend: 'cpu' });
    await expect(table({ ids: k.tensor([0, 5], [2], 'i32') })).rejects.toThrowError(/gather: index 5 at element 1 of input 'ids' is out of range: expected 0 ≤ index < 5/);
    await expect(table({ ids: k.tensor([-1], [1], 'i32') })).rejects.toThrowError(/index -1 at element 0/);
  });

  it('float labels where class ids are expected name the fix and the line', async () => {
    const step = trainer(new Classifier());
    await expect(step({ x, y: k.tensor([1, 2], [2]) })).rejects.toThrowError(/softmaxCrossEntropy: f32 labels were given where class ids are expected: pass integer labels as i32/);
    await expect(step({ x, y: k.tensor([1, 2], [2]) })).rejects.toThrowError(HERE);
  });

  it('a wrong feature size names the layer, both shapes and the line', async () => {
    const step = trainer(new Classifier());
    await expect(step({ x: k.tensor([[1, 2, 3]]), y: k.tensor([0], [1], 'i32') })).rejects.toThrowError(/Linear: expects 4 features in the last dim, the input is \[1,3\]/);
    await expect(step({ x: k.tensor([[1, 2, 3]]), y: k.tensor([0], [1], 'i32') })).rejects.toThrowError(HERE);
  });

  it('missing inputs, arrays without a shape and non-records are clear errors', async () => {
    const step = trainer(new Classifier());
    await expect(step({ x } as never)).rejects.toThrowError(/fn reads input 'y', which this call did not pass \(it passed: x\).*bad-input\.test\.ts:\d+/);
    await expect(step({ x, y: new Int32Array([0, 1]) } as never)).rejects.toThrowError(
      /input 'y' must be a host tensor \(k\.tensor\(data, shape, dtype\)\), a number or nested arrays, got a Int32Array without a shape.*bad-input\.test\.ts:\d+/,
    );
    await expect(step(undefined as never)).rejects.toThrowError(/takes one record of named inputs/);
    await expect(step(null as never)).rejects.toThrowError(/got null/);
    await expect(step({ x: [[1, 2, 3, 4]], y: [[0, 'x']] } as never)).rejects.toThrowError(/input 'y': k\.tensor: element \[0\]\[1\] is string/);
  });

  it("checks: 'nan' names the first op that made a NaN and the user's line, and restores the state", async () => {
    const model = new Classifier();
    const opt = k.optim.sgd({ lr: 0.1 });
    const step = k.jit(
      ({ x }: k.Inputs<'x'>) => {
        const loss = model.forward(x.log()).square().mean();
        return { loss, updates: opt.minimize(loss) };
      },
      { backend: 'cpu', checks: 'nan' },
    );
    await step({ x: k.tensor([[1, 2, 3, 4]]) });
    const before = (await model.fc.weight.read()).data.slice();
    const err = await step({ x: k.tensor([[1, -2, 3, 4]]) }).catch((e: unknown) => e);
    expect(String(err)).toMatch(/log: produced NaN at element 1 from finite operands/);
    expect(String(err)).toMatch(HERE);
    expect(String(err)).toMatch(/the state was restored/);
    expect(Array.from((await model.fc.weight.read()).data)).toEqual(Array.from(before));
    // Without the debug mode the NaN is computed (IEEE semantics), as in any framework.
    const plain = k.jit(({ x }: k.Inputs<'x'>) => model.forward(x.log()), { backend: 'cpu' });
    expect(Number.isNaN((await plain({ x: k.tensor([[1, -2, 3, 4]]) })).data[0]!)).toBe(true);
  });

  it('a tensor kept from an earlier trace says why it cannot be reused', async () => {
    let kept: k.Tensor | undefined;
    const f = k.jit(
      ({ x }: k.Inputs<'x'>) => {
        const y = kept === undefined ? x.mul(2) : x.add(kept);
        kept ??= y;
        return y;
      },
      { backend: 'cpu' },
    );
    await f({ x: k.tensor([1, 2]) });
    await expect(f({ x: k.tensor([1, 2, 3]) })).rejects.toThrowError(/was made while tracing an earlier call.*persistent values belong in a k\.nn\.Module or a k\.Variable/);
  });
});
