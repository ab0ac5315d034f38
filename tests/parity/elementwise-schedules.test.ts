// Every elementwise schedule the tuner may pick ('full' candidates), on this device, vs the CPU
// interpreter: forced on one fused kernel that mixes what the vec4 path treats differently — a
// same-shape input (vec4 loads), a broadcast row and a transposed input (index math, computed lane
// by lane), iota, a bool intermediate, a select and an i32 round trip — at a size with 4k elements
// (vec4 runs) and one without (the same schedule per element).

import { describe, expect, it } from 'vitest';
import { elementwiseScheduleLabel } from '@kiln/codegen-wgsl';
import { elementwiseTuneCandidates } from '@kiln/runtime';
import { acquireDevice, f32, fusedGraph, harness, sample } from './helpers.js';

const device = await acquireDevice();

function mixed(rows: number, cols: number) {
  return fusedGraph(`mixed_${rows}x${cols}`, { x: f32(rows, cols), b: f32(cols), y: f32(cols, rows) }, (kb, { x, b, y }) => {
    const c = (value: number) => kb.add('constant', [], { value }, { type: f32(rows, cols) });
    const row = kb.add('broadcast', [b!], { dims: [1], shape: [rows, cols] });
    const t = kb.add('tanh', [kb.add('add', [kb.add('mul', [x!, c(1.5)], {}), row], {})], {});
    const yt = kb.add('transpose', [y!], { perm: [1, 0] });
    const idx = kb.add('iota', [], { dim: 1 }, { type: f32(rows, cols) });
    const rounded = kb.add('cast', [kb.add('cast', [kb.add('mul', [yt, c(3)], {})], { dtype: 'i32' })], { dtype: 'f32' });
    const other = kb.add('sub', [kb.add('logistic', [rounded], {}), kb.add('mul', [idx, c(0.25)], {})], {});
    return kb.add('select', [kb.add('gt', [x!, c(0)], {}), t, other], {});
  });
}

describe.skipIf(device === undefined)('elementwise schedules: WebGPU vs CPU', () => {
  const h = harness(device!);
  const candidates = elementwiseTuneCandidates('full', device!.limits);

  for (const [rows, cols] of [
    [6, 8],
    [5, 7],
  ] as const)
    it(`every full candidate (${candidates.length}) computes the mixed kernel over ${rows}x${cols}`, async () => {
      expect(candidates.length).toBeGreaterThan(12);
      const g = mixed(rows, cols);
      const inputs = { x: sample(f32(rows, cols), 81), b: sample(f32(cols), 82), y: sample(f32(cols, rows), 83) };
      const vec4 = (rows * cols) % 4 === 0;
      for (const s of candidates) {
        const { kernels } = await h.check(g, inputs, { rtol: 1e-5, atol: 1e-6 }, { elementwise: s });
        expect(kernels[0]!.template, elementwiseScheduleLabel(s)).toBe(`elementwise-${elementwiseScheduleLabel({ ...s, vec4: s.vec4 && vec4 })}`);
      }
    }, 300_000);
});
