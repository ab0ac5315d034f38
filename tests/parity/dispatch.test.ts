// A dispatch past the 65535-workgroups-per-dimension limit: an elementwise kernel over
// 65535·64 + 5 elements with workgroup size 64 needs 65537 workgroups, so codegen splits the
// grid over y and the shader linearises it back; every element must still be computed once.

import { describe, expect, it } from 'vitest';
import { generateKernel } from '@kiln/codegen-wgsl';
import { acquireDevice, f32, fusedGraph, harness, EXACT } from './helpers.js';

const device = await acquireDevice();
const N = 65535 * 64 + 5;

describe.skipIf(device === undefined)('dispatch grid split', () => {
  const h = harness(device!);

  it(`elementwise over ${N} elements uses a 2-D grid and matches the CPU`, async () => {
    // out = x·2 + iota: the iota term makes every element's expected value distinct.
    const g = fusedGraph('big', { x: f32(N) }, (kb, { x }) => {
      const two = kb.add('constant', [], { value: 2 }, { type: f32(N) });
      const idx = kb.add('iota', [], { dim: 0 }, { type: f32(N) });
      return kb.add('add', [kb.add('mul', [x!, two], {}), idx], {});
    });
    const kernel = generateKernel(g.kernels[0]!, device!.limits, { elementwiseWorkgroupSize: 64 });
    const [gx, gy, gz] = kernel.dispatch();
    expect(kernel.workgroupSize[0]).toBe(64);
    expect(gx).toBeLessThanOrEqual(65535);
    expect(gy).toBeGreaterThan(1);
    expect(gx * gy * gz * 64).toBeGreaterThanOrEqual(N);
    const x = new Array<number>(N);
    for (let i = 0; i < N; i++) x[i] = (i % 1000) * 0.5;
    const { gpu } = await h.check(g, { x }, EXACT, { elementwiseWorkgroupSize: 64 });
    const d = gpu['out']!.data;
    // Independent spot checks at the ends, where a wrong linearisation would show first.
    for (const i of [0, 1, 65535 * 64 - 1, 65535 * 64, N - 1]) expect(d[i]).toBe(Math.fround((i % 1000) * 0.5 * 2 + i));
  });
});
