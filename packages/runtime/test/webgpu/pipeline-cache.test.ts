// The pipeline cache is an LRU bounded by entry count and WGSL bytes: beyond either bound the
// least recently used pipeline goes, a hit refreshes an entry, executables compiled earlier keep
// working after their pipelines are evicted, and bad limits are KilnErrors.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, KilnError } from '@kiln/ir';
import { configurePipelineCache, createWebGpuBackend, pipelineCacheStats, requestWebGpuDevice } from '@kiln/runtime';
import { testDevice } from './device.js';

const shared = await testDevice();

/** y = x + x on f32[n]: a different n is a different shader. */
function addGraph(n: number) {
  const b = new GraphBuilder(`g${n}`);
  const x = b.input('x', { dtype: 'f32', shape: [n] });
  b.output(b.add('add', [x, x], {}), 'y');
  return b.build();
}

describe.skipIf(shared === undefined)('bounded pipeline cache (LRU by count and bytes)', () => {
  it('keeps at most maxEntries, evicting the least recently used; a hit refreshes an entry', async () => {
    // A device of its own, so other tests' pipelines do not count.
    const info = await requestWebGpuDevice();
    const backend = createWebGpuBackend({ device: info, pipelineCache: { maxEntries: 2 } });
    const a = await backend.compile(addGraph(5));
    const b = await backend.compile(addGraph(6));
    const hashA = a.kernels[0]!.hash;
    expect(pipelineCacheStats(info.device)).toMatchObject({ entries: 2, created: 2, evicted: 0 });
    await backend.compile(addGraph(5)); // hit: A is now the most recent
    expect(pipelineCacheStats(info.device).hits).toBe(1);
    const c = await backend.compile(addGraph(7)); // evicts B, not A
    expect(pipelineCacheStats(info.device)).toMatchObject({ entries: 2, created: 3, evicted: 1 });
    await backend.compile(addGraph(5));
    expect(pipelineCacheStats(info.device)).toMatchObject({ created: 3, hits: 2 });
    expect(a.kernels[0]!.hash).toBe(hashA);
    await backend.compile(addGraph(6)); // B was evicted: made again
    expect(pipelineCacheStats(info.device)).toMatchObject({ entries: 2, created: 4, evicted: 2 });
    // Executables keep their own pipelines: evicted or not, they still run.
    for (const [exe, n] of [
      [a, 5],
      [b, 6],
      [c, 7],
    ] as const)
      expect(Array.from((await exe.run({ x: new Array(n).fill(2) }))['y']!.data)).toEqual(new Array(n).fill(4));
    info.device.destroy();
  });

  it('keeps the WGSL bytes under maxBytes, and limits can be changed (trimming at once)', async () => {
    const info = await requestWebGpuDevice();
    const backend = createWebGpuBackend({ device: info });
    for (let n = 1; n <= 6; n++) await backend.compile(addGraph(n));
    const full = pipelineCacheStats(info.device);
    expect(full.entries).toBe(6);
    const perKernel = full.bytes / full.entries;
    configurePipelineCache(info.device, { maxBytes: Math.floor(perKernel * 2.5) });
    const trimmed = pipelineCacheStats(info.device);
    expect(trimmed.entries).toBe(2);
    expect(trimmed.bytes).toBeLessThanOrEqual(perKernel * 2.5);
    await backend.compile(addGraph(9));
    expect(pipelineCacheStats(info.device).bytes).toBeLessThanOrEqual(perKernel * 2.5 + 64);
    expect(() => configurePipelineCache(info.device, { maxEntries: -1 })).toThrow(KilnError);
    expect(() => configurePipelineCache(info.device, { maxBytes: 1.5 })).toThrow(/maxBytes must be a non-negative integer/);
    info.device.destroy();
  });
});
