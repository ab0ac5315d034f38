// Every schedule the tuner may pick, on this device, vs the CPU interpreter: each quick GEMM and
// conv candidate (the ones `tune: 'quick'` and the bench's tuning pass time) forced on a matmul
// with odd sizes, a transposed operand and an epilogue, and on a padded, strided conv whose input
// is read as vec4 taps — so no tuned kernel can win with a wrong result the tuner's own
// default-vs-candidate check would share.

import { describe, expect, it } from 'vitest';
import { scheduleLabel } from '@kiln/codegen-wgsl';
import { convCandidates, gemmCandidates } from '@kiln/runtime';
import { acquireDevice, f32, fusedGraph, harness, sample } from './helpers.js';

const device = await acquireDevice();

describe.skipIf(device === undefined)('tuner candidates: WebGPU vs CPU', () => {
  const h = harness(device!);
  const limits = device!.limits;

  it('every quick GEMM candidate computes relu(Xᵀ·W) for X 37x72 (read as vec4 along its stored rows), W 37x76', async () => {
    const g = fusedGraph('cand_gemm', { x: f32(37, 72), w: f32(37, 76) }, (kb, { x, w }) =>
      kb.add('max', [kb.add('matmul', [kb.add('transpose', [x!], { perm: [1, 0] }), w!], {}), kb.add('constant', [], { value: 0 }, { type: f32(72, 76) })], {}),
    );
    const inputs = { x: sample(f32(37, 72), 71), w: sample(f32(37, 76), 72) };
    const candidates = gemmCandidates('quick', 76, limits);
    expect(candidates.length).toBeGreaterThan(8);
    for (const s of candidates) {
      const { kernels } = await h.check(g, inputs, { rtol: 1e-5, atol: 1e-5 }, { gemm: s });
      expect(kernels[0]!.template, scheduleLabel(s)).toBe(`matmul-${scheduleLabel(s)}`);
    }
  }, 300_000);

  it('every quick conv candidate computes a padded stride-(1,2) conv 2x9x11x8 * 3x3x8x24', async () => {
    const g = fusedGraph('cand_conv', { x: f32(2, 9, 11, 8), w: f32(3, 3, 8, 24) }, (kb, { x, w }) =>
      kb.add('conv', [x!, w!], {
        stride: [1, 2],
        padding: [
          [1, 1],
          [1, 0],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 1,
      }),
    );
    const inputs = { x: sample(f32(2, 9, 11, 8), 73), w: sample(f32(3, 3, 8, 24), 74) };
    const candidates = convCandidates('quick', 24, limits);
    expect(candidates.length).toBeGreaterThan(8);
    for (const s of candidates) {
      const { kernels } = await h.check(g, inputs, { rtol: 1e-4, atol: 1e-4 }, { gemm: s });
      expect(kernels[0]!.template, scheduleLabel(s)).toBe(`conv-${scheduleLabel(s)}`);
    }
  }, 300_000);
});
