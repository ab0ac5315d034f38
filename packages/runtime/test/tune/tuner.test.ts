// The tuner on the device: 'off' and 'cached' time nothing, 'quick' fills the cache, and a forced
// non-default schedule from the cache is used (visible in the kernel) and matches the CPU interpreter.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Graph } from '@kiln/ir';
import { outline } from '@kiln/passes';
import { adapterIdentity, createCpuBackend, createWebGpuBackend, memoryTuneStore, kernelSignature, toNumberArray, tuneMeasurementCount } from '@kiln/runtime';
import { testDevice } from '../webgpu/device.js';

const device = await testDevice();
const f32 = (...shape: number[]) => ({ dtype: 'f32' as const, shape });

/** c = relu(a·b) for a [m,k], b [k,n]. */
function gemmGraph(m: number, k: number, n: number): Graph {
  const b = new GraphBuilder('g');
  const a = b.input('a', f32(m, k));
  const w = b.input('b', f32(k, n));
  const mm = b.add('matmul', [a, w], {});
  b.output(b.add('max', [mm, b.add('constant', [], { value: 0 }, { type: f32(m, n) })], {}), 'c');
  return b.build();
}
const inputs = (m: number, k: number, n: number) => ({
  a: Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)),
  b: Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7)),
});

describe.skipIf(device === undefined)('autotuner', () => {
  const info = device!;

  it("'off' and 'cached' never time anything", async () => {
    const store = memoryTuneStore();
    const before = tuneMeasurementCount();
    for (const tune of ['off', 'cached', undefined] as const) {
      const exe = await createWebGpuBackend({ device: info, tuneStore: store }).compile(gemmGraph(8, 8, 8), tune === undefined ? {} : { tune });
      exe.dispose();
    }
    expect(tuneMeasurementCount()).toBe(before);
    expect(await store.load()).toEqual({});
  });

  it("'quick' measures and fills the cache for the graph's GEMM signature", async () => {
    const store = memoryTuneStore();
    const before = tuneMeasurementCount();
    const exe = await createWebGpuBackend({ device: info, tuneStore: store }).compile(gemmGraph(16, 16, 16), { tune: 'quick' });
    exe.dispose();
    expect(tuneMeasurementCount()).toBeGreaterThan(before);
    const mine = (await store.load())[adapterIdentity(info)] ?? {};
    expect(Object.keys(mine)).toEqual(['gemm f32 a16x16 b16x16 c16x16']);
    expect(mine['gemm f32 a16x16 b16x16 c16x16']!.ms).toBeLessThanOrEqual(mine['gemm f32 a16x16 b16x16 c16x16']!.defaultMs);
  }, 120_000);

  it("'quick' measures once: a second compile finds every signature in the cache and times nothing", async () => {
    const store = memoryTuneStore();
    const first = await createWebGpuBackend({ device: info, tuneStore: store }).compile(gemmGraph(16, 8, 16), { tune: 'quick' });
    first.dispose();
    const cached = await store.load();
    const before = tuneMeasurementCount();
    const again = await createWebGpuBackend({ device: info, tuneStore: store }).compile(gemmGraph(16, 8, 16), { tune: 'quick' });
    again.dispose();
    expect(tuneMeasurementCount()).toBe(before);
    expect(await store.load()).toEqual(cached);
    // A 'full' entry also satisfies 'full' (a 'quick' one would not: a wider search re-measures).
    const [adapter, sigs] = Object.entries(cached)[0]!;
    const asFull = memoryTuneStore({ [adapter]: Object.fromEntries(Object.entries(sigs).map(([k, e]) => [k, { ...e, mode: 'full' as const }])) });
    const rows = await createWebGpuBackend({ device: info, tuneStore: asFull }).tune(gemmGraph(16, 8, 16), 'full', { onlyMissing: true });
    expect(rows).toEqual([]);
    expect(tuneMeasurementCount()).toBe(before);
  }, 120_000);

  it('ignores a stale entry (a schedule illegal on this device) with one warning, and quick re-tunes it', async () => {
    const graph = gemmGraph(16, 8, 24);
    const sig = kernelSignature(outline(graph).kernels.find((g) => kernelSignature(g) !== undefined)!)!.key;
    // More invocations than any device allows: tuned under other limits, unusable here.
    const stale = { kind: 'tiled' as const, tm: 256, tn: 256, tk: 4, rm: 4, rn: 4, vec4: true };
    const store = memoryTuneStore({
      [adapterIdentity(info)]: { [sig]: { schedule: stale, label: 't256x256x4-r4x4-v4', ms: 1, defaultMs: 2, mode: 'full', at: '2026-01-01T00:00:00.000Z' } },
    });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (m: string) => void warnings.push(m);
    try {
      for (let i = 0; i < 2; i++) {
        const exe = await createWebGpuBackend({ device: info, tuneStore: store }).compile(graph);
        expect(exe.kernels.some((kk) => kk.template.includes('[tuned]'))).toBe(false);
        exe.dispose();
      }
    } finally {
      console.warn = warn;
    }
    expect(warnings.filter((w) => w.includes(sig))).toHaveLength(1);
    expect(warnings.find((w) => w.includes(sig))).toMatch(/ignoring the tuned schedule t256x256x4-r4x4-v4 .*invocations exceed/);
    const before = tuneMeasurementCount();
    (await createWebGpuBackend({ device: info, tuneStore: store }).compile(graph, { tune: 'quick' })).dispose();
    expect(tuneMeasurementCount()).toBeGreaterThan(before);
    expect((await store.load())[adapterIdentity(info)]?.[sig]?.mode).toBe('quick');
  }, 120_000);

  it('tunes a conv kernel under its own signature, with candidates checked against the default', async () => {
    const b = new GraphBuilder('conv');
    const x = b.input('x', f32(2, 16, 16, 4));
    const w = b.input('w', f32(3, 3, 4, 8));
    b.output(
      b.add('conv', [x, w], {
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 1,
      }),
      'y',
    );
    const graph = b.build();
    const kernel = outline(graph).kernels.find((g) => kernelSignature(g) !== undefined)!;
    expect(kernelSignature(kernel)).toMatchObject({ cls: 'conv', key: 'conv f32 x2x16x16x4 w4x4x4x8 o2x16x16x8 s1,1 p1,1,1,1 l1,1 r1,1 g1', n: 8, m: 512 });
    const rows = await createWebGpuBackend({ device: info, tuneStore: memoryTuneStore() }).tune(graph, 'quick');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.candidates).toBeGreaterThan(5);
    expect(rows[0]!.rejected).toBe(0);
    expect(rows[0]!.after.ms).toBeLessThanOrEqual(rows[0]!.before.ms);
  }, 240_000);

  it("uses a non-default schedule from the cache, visibly, with the CPU interpreter's results", async () => {
    const [m, k, n] = [20, 12, 24];
    const graph = gemmGraph(m, k, n);
    const kernel = outline(graph).kernels.find((g) => kernelSignature(g) !== undefined)!;
    const sig = kernelSignature(kernel)!.key;
    expect(sig).toBe('gemm f32 a32x16 b16x32 c32x32');
    const schedule = { kind: 'tiled' as const, tm: 16, tn: 32, tk: 8, rm: 4, rn: 8, vec4: false };
    const store = memoryTuneStore({ [adapterIdentity(info)]: { [sig]: { schedule, label: 't16x32x8-r4x8', ms: 1, defaultMs: 2, mode: 'full', at: '2026-01-01T00:00:00.000Z' } } });
    const exe = await createWebGpuBackend({ device: info, tuneStore: store }).compile(graph);
    const gemm = exe.kernels.find((kk) => kk.template.includes('[tuned]'));
    expect(gemm?.template).toContain('t16x32x8-r4x8');
    expect(gemm?.wgsl.split('\n')[0]).toContain('from the tune cache');
    const got = toNumberArray((await exe.run(inputs(m, k, n)))['c']!);
    const want = toNumberArray((await (await createCpuBackend().compile(graph)).run(inputs(m, k, n)))['c']!);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 4));
    exe.dispose();
    // 'off' ignores the cache: the default schedule, not the tuned one.
    const off = await createWebGpuBackend({ device: info, tuneStore: store }).compile(graph, { tune: 'off' });
    expect(off.kernels.some((kk) => kk.template.includes('[tuned]'))).toBe(false);
    off.dispose();
  });
});
