// In the page (Chromium's SwiftShader adapter offers 'timestamp-query'): GPU-busy time of a whole
// run and of chosen kernels alone from timestamp queries, and the tuner timing a signature's
// kernels that way rather than by the wall clock.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Graph } from '@kiln/ir';
import { createWebGpuBackend, memoryTuneStore, requestWebGpuDevice } from '@kiln/runtime';

const f32 = (...shape: number[]) => ({ dtype: 'f32' as const, shape });

/** A 256³ matmul (about 34 MFLOP) beside a 4-element add: two kernels of very different cost. */
function bigAndTiny(): Graph {
  const b = new GraphBuilder('big_and_tiny');
  const x = b.input('x', f32(256, 256));
  const w = b.input('w', f32(256, 256));
  const u = b.input('u', f32(4));
  b.output(b.add('matmul', [x, w], {}), 'y');
  b.output(b.add('add', [u, u], {}), 'v');
  return b.build();
}

describe('timestamp-query timing', () => {
  it('times a run and its kernels alone on the GPU; the tiny kernel takes less than the whole run', async () => {
    const info = await requestWebGpuDevice();
    expect(info.device.features.has('timestamp-query'), "the page's adapter should offer 'timestamp-query' (Chromium with --enable-unsafe-webgpu)").toBe(true);
    const exe = await createWebGpuBackend({ device: info, tuneStore: memoryTuneStore() }).compile(bigAndTiny());
    expect(exe.timing).toBe('timestamp-query');
    const tiny = exe.kernels.find((k) => k.template.startsWith('elementwise'));
    expect(tiny, `kernels: ${exe.kernels.map((k) => k.template).join(', ')}`).toBeDefined();
    await exe.run({ x: new Float32Array(256 * 256).fill(0.5), w: new Float32Array(256 * 256).fill(0.25), u: [1, 2, 3, 4] });
    const whole = await exe.gpuTimeMs(8);
    const alone = await exe.gpuKernelsTimeMs(new Set([tiny!.name]), 8);
    console.log(`GPU time per run ${whole?.toFixed(3)} ms; @${tiny!.name} alone ${alone?.toFixed(4)} ms`);
    expect(whole).toBeGreaterThan(0);
    expect(alone).toBeGreaterThan(0);
    expect(Number.isFinite(whole!) && Number.isFinite(alone!)).toBe(true);
    expect(alone!).toBeLessThan(whole!);
    exe.dispose();
  });

  it("the tuner reports timestamp timing for a GEMM signature's kernels", async () => {
    const info = await requestWebGpuDevice();
    const b = new GraphBuilder('small_gemm');
    b.output(b.add('matmul', [b.input('a', f32(32, 32)), b.input('b', f32(32, 32))], {}), 'c');
    const rows = await createWebGpuBackend({ device: info, tuneStore: memoryTuneStore() }).tune(b.build(), 'quick');
    expect(rows.length).toBe(1);
    expect(rows[0]!.timing).toBe('timestamp-query');
    expect(rows[0]!.before.ms).toBeGreaterThan(0);
  });
});
