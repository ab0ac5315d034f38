// BatchNorm module: parameter and buffer names, train mode (batch statistics, running-stat updates
// read back with stateDict) against the functional layer and hand-computed values, eval mode (running
// statistics, no updates), and one k.jit specialization per mode.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { expectAllClose, parameterShapes, runFunctional, runModule } from './helpers.js';

// x [4, 2]: feature 0 = [1, 2, 3, 6] (mean 3, biased var 3.5, unbiased 14/3), feature 1 = [0, 0, 4, 4] (mean 2, var 4, unbiased 16/3).
const x = k.tensor([1, 0, 2, 0, 3, 4, 6, 4], [4, 2]);

describe('BatchNorm', () => {
  it('has weight and bias parameters and non-trainable runningMean / runningVar buffers', async () => {
    const bn = new k.nn.BatchNorm(2);
    expect(parameterShapes(bn)).toEqual([
      ['weight', [2]],
      ['bias', [2]],
    ]);
    expect(bn.namedBuffers().map(([n, v]) => `${n}:${v.trainable}`)).toEqual(['runningMean:false', 'runningVar:false']);
    const sd = await bn.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias', 'runningMean', 'runningVar']);
    expect(Array.from(sd['runningMean']!.data)).toEqual([0, 0]);
    expect(Array.from(sd['runningVar']!.data)).toEqual([1, 1]);
    expect(new k.nn.BatchNorm(3, { affine: false }).namedParameters()).toEqual([]);
  });

  it('train mode equals k.layers.batchNorm and updates the running statistics (unbiased variance)', async () => {
    const bn = new k.nn.BatchNorm(2, { momentum: 0.25 });
    const out = await runModule(({ x }: { x: k.Tensor }) => bn.forward(x), { x });
    const fn = await runFunctional(({ x }: { x: k.Tensor }) => k.layers.batchNorm(x, { training: true, momentum: 0.25 }), { x });
    expectAllClose(out, fn.out);
    const s0 = Math.sqrt(3.5 + 1e-5);
    const s1 = Math.sqrt(4 + 1e-5);
    expectAllClose(out, k.tensor([-2 / s0, -2 / s1, -1 / s0, -2 / s1, 0, 2 / s1, 3 / s0, 2 / s1], [4, 2]));
    const sd = await bn.stateDict();
    expectAllClose(sd['runningMean']!, k.tensor([0.25 * 3, 0.25 * 2]));
    expectAllClose(sd['runningVar']!, k.tensor([0.75 + 0.25 * (14 / 3), 0.75 + 0.25 * (16 / 3)]));
  });

  it('eval mode normalises with the running statistics and leaves them unchanged', async () => {
    const bn = new k.nn.BatchNorm(2, { eps: 0 });
    await bn.loadStateDict({ weight: k.tensor([1, 2]), bias: k.tensor([0, 1]), runningMean: k.tensor([1, 2]), runningVar: k.tensor([4, 1]) });
    bn.eval();
    const f = k.jit(({ x }: { x: k.Tensor }) => bn.forward(x), { backend: 'cpu' });
    const out = await f({ x });
    expect(f.lastCompiled?.traced.updates).toEqual([]);
    expectAllClose(out, k.tensor([0, -3, 0.5, -3, 1, 5, 2.5, 5], [4, 2]));
    const sd = await bn.stateDict();
    expect(Array.from(sd['runningMean']!.data)).toEqual([1, 2]);
    expect(Array.from(sd['runningVar']!.data)).toEqual([4, 1]);
  });

  it('k.jit compiles one specialization per mode and reuses each when switching back', async () => {
    const bn = new k.nn.BatchNorm(2);
    const f = k.jit(({ x }: { x: k.Tensor }) => bn.forward(x), { backend: 'cpu' });
    await f({ x });
    expect(f.lastCompiled?.traced.updates).toEqual(['runningMean', 'runningVar']);
    bn.eval();
    const evalOut = await f({ x });
    expect(f.cacheInfo().misses).toBe(2);
    expect(f.lastCompiled?.traced.updates).toEqual([]);
    // Eval after one train step: the running stats moved from (0, 1), so the output is not x / sqrt(1 + eps).
    const rm = (await bn.stateDict())['runningMean']!;
    expect(Array.from(rm.data)).not.toEqual([0, 0]);
    bn.train();
    await f({ x });
    bn.eval();
    const again = await f({ x });
    expect(f.cacheInfo()).toMatchObject({ misses: 2, hits: 2, size: 2 });
    // The second train step moved the statistics again, and eval reads the current ones.
    expect(Array.from(again.data)).not.toEqual(Array.from(evalOut.data));
  });

  it('normalises NHWC images per channel and rejects a wrong channel count', async () => {
    const bn = new k.nn.BatchNorm(3, { affine: false });
    const img = k.tensor(
      Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => (i * 7) % 5),
      [2, 2, 2, 3],
    );
    const out = await runModule(({ x }: { x: k.Tensor }) => bn.forward(x), { x: img });
    for (let c = 0; c < 3; c++) {
      const col = Array.from(out.data).filter((_, i) => i % 3 === c);
      expect(Math.abs(col.reduce((a, v) => a + v, 0) / col.length)).toBeLessThan(1e-5);
    }
    expect(() => k.trace(({ x }) => bn.forward(x), { x: k.f32([4, 2]) })).toThrowError(/BatchNorm expects input \[batch, \.\.\., 3\], got \[4,2\]/);
  });
});
