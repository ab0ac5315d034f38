// Row kernels (softmax) and tree reductions at the workgroup sizes their templates may be given —
// 16 (the runtime's choice on a CPU-emulated adapter), 32, 64 and 256 — vs the CPU interpreter,
// including rows shorter than the workgroup, rows that are not a multiple of it, and rows longer
// than workgroup memory could hold.

import { describe, expect, it } from 'vitest';
import type { ValueId } from '@kiln/ir';
import { acquireDevice, f32, fusedGraph, harness, sample } from './helpers.js';

const device = await acquireDevice();

describe.skipIf(device === undefined)('row kernels at several workgroup sizes: WebGPU vs CPU', () => {
  const h = harness(device!);
  for (const rowWorkgroupSize of [16, 32, 64, 256])
    for (const [rows, len] of [
      [5, 7],
      [9, 300],
      [4, 1024],
      // Longer than 16 KiB of workgroup memory could cache: rows are re-read, never cached.
      [2, 6000],
    ] as const)
      it(`softmax ${rows}x${len}, ${rowWorkgroupSize} lanes per row`, async () => {
        const g = fusedGraph('softmax_wg', { x: f32(rows, len) }, (kb, { x }) => {
          const keep = (v: ValueId): ValueId => kb.add('broadcast', [v], { dims: [0], shape: [rows, len] });
          const m = kb.add('reduce_max', [x!], { axes: [1] });
          const e = kb.add('exp', [kb.add('sub', [x!, keep(m)], {})], {});
          return kb.add('div', [e, keep(kb.add('reduce_sum', [e], { axes: [1] }))], {});
        });
        const { kernels } = await h.check(g, { x: sample(f32(rows, len), 50 + len, -8, 8) }, { rtol: 1e-5, atol: 1e-6 }, { rowWorkgroupSize });
        expect(kernels[0]!.template).toBe('row');
        expect(kernels[0]!.workgroupSize[0]).toBe(rowWorkgroupSize);
      });

  for (const reductionWorkgroupSize of [16, 64, 256])
    for (const [rows, len] of [
      [3, 5],
      [7, 2000],
    ] as const)
      it(`tree reduction: column sums of ${len}x${rows} (strided), ${reductionWorkgroupSize} lanes`, async () => {
        const g = fusedGraph('colsum_wg', { x: f32(len, rows) }, (kb, { x }) => kb.add('reduce_sum', [kb.add('mul', [x!, x!], {})], { axes: [0] }));
        const { kernels } = await h.check(g, { x: sample(f32(len, rows), 60 + len) }, { rtol: 1e-5, atol: 1e-5 }, { reduction: 'tree', reductionWorkgroupSize });
        expect(kernels[0]!.template).toMatch(/^reduction-tree/);
        expect(kernels[0]!.workgroupSize[0]).toBe(reductionWorkgroupSize);
      });
});
