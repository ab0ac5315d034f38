// fn.profile(inputs) and fn.lastCompiled.kernels (used by apps/playground): the WebGPU kernels of
// the latest specialization with their WGSL, and one step timed kernel by kernel, whose state
// updates apply like a call's; on the CPU interpreter there are no kernels and profile() says why.

import { describe, expect, it } from 'vitest';
import * as k from '../../src/index.js';

function step(backend: k.BackendChoice) {
  k.manualSeed(3);
  const model = new k.nn.Linear(8, 4);
  const opt = k.optim.sgd({ lr: 0.1 });
  const fn = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => {
      const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    { backend, name: 'profiled' },
  );
  const xs = Float32Array.from({ length: 16 * 8 }, (_, i) => Math.sin(i));
  const ys = Int32Array.from({ length: 16 }, (_, i) => i % 4);
  return { fn, batch: { x: k.tensor(xs, [16, 8]), y: k.tensor(ys, [16]) } };
}

describe('k.jit profile() and lastCompiled.kernels', () => {
  it('on WebGPU: one timing per kernel with a non-empty grid, in dispatch order, and the step really runs', async () => {
    const { fn, batch } = step('webgpu');
    expect(fn.lastCompiled).toBeUndefined();
    const l1 = (await fn(batch)).loss.item();
    const kernels = fn.lastCompiled?.kernels;
    expect(kernels).toBeDefined();
    expect(kernels!.length).toBe(fn.cacheInfo().entries[0]!.kernels);
    for (const kernel of kernels!) expect(kernel.wgsl).toContain('@compute @workgroup_size(');
    const timings = await fn.profile(batch);
    expect(timings.map((t) => t.kernel)).toEqual(kernels!.filter((kk) => kk.workgroups.every((n) => n > 0)).map((kk) => kk.name));
    for (const t of timings) expect(t.ms).toBeGreaterThanOrEqual(0);
    // Profiling compiled nothing new and applied one SGD step: the next loss is that of step 3.
    expect(fn.cacheInfo().misses).toBe(1);
    const l3 = (await fn(batch)).loss.item();
    const { fn: again, batch: same } = step('webgpu');
    const ref = [(await again(same)).loss.item(), (await again(same)).loss.item(), (await again(same)).loss.item()];
    expect(l1).toBeCloseTo(ref[0]!, 5);
    expect(l3).toBeCloseTo(ref[2]!, 5);
    fn.dispose();
    again.dispose();
  });

  it('on the CPU interpreter: no kernels, and profile() says it needs WebGPU', async () => {
    const { fn, batch } = step('cpu');
    await fn(batch);
    expect(fn.lastCompiled?.kernels).toBeUndefined();
    await expect(fn.profile(batch)).rejects.toThrow(/profile\(\) times WebGPU kernels, but profiled runs on the CPU interpreter/);
  });
});
