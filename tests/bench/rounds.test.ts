// `pnpm bench` rounds and roofline: per-round ratios against the best peer (hand-computed), the
// verdict on their spread, merging rounds to the median round, roofline fractions, and the
// reference process (hand-written kernels + roofline microkernels) run for real on tiny sizes.

import { describe, expect, it } from 'vitest';
import type { LibConfig, LibReport, Library, Roofline, WorkloadResult } from '../../bench/protocol.js';
import { mergeRounds, rooflineFraction, roundRatios } from '../../bench/rounds.js';
import { LIB_SCRIPTS, runChild } from '../../bench/spawn.js';

function w1(library: Library, value: number): WorkloadResult {
  return { workload: 'W1', library, case: 'N=64', params: { id: 'W1', n: 64 }, median_ms: 1, metric: 'GFLOP/s', value };
}
function w4(library: Library, ms: number): WorkloadResult {
  return { workload: 'W4', library, case: 'b8', params: { id: 'W4', batch: 8, hidden: 16, lr: 0.1 }, median_ms: ms, metric: 'ms/step', value: ms };
}

describe('interleaved rounds', () => {
  it('takes the ratio to the best peer within each round, and the median over rounds', () => {
    // Round ratios vs the better of tfjs/jax-js: 10/8 = 1.25, 9/6 = 1.5, 12/12 = 1.
    const rounds = [
      [w1('kiln', 10), w1('tfjs', 8), w1('jax-js', 5), w1('reference', 20)],
      [w1('kiln', 9), w1('tfjs', 6), w1('jax-js', 4), w1('reference', 18)],
      [w1('kiln', 12), w1('tfjs', 3), w1('jax-js', 12), w1('reference', 24)],
    ];
    const [peer, ref] = roundRatios(rounds);
    expect(peer?.against).toBe('best peer');
    expect(peer?.perRound).toEqual([1.25, 1.5, 1]);
    expect(peer?.median).toBe(1.25);
    expect([peer?.min, peer?.max]).toEqual([1, 1.5]);
    expect(peer?.verdict).toMatch(/too wide to conclude/);
    expect(ref?.against).toBe('reference');
    expect(ref?.perRound).toEqual([0.5, 0.5, 0.5]);
    expect(ref?.verdict).toBe('kiln behind in every round');
  });

  it('inverts lower-is-better metrics and flags a wide spread on one side of 1', () => {
    // ms/step: advantage = peer / kiln: 4/2 = 2, 3/1 = 3, 2.2/2 = 1.1.
    const rounds = [
      [w4('kiln', 2), w4('tfjs', 4)],
      [w4('kiln', 1), w4('tfjs', 3)],
      [w4('kiln', 2), w4('tfjs', 2.2)],
    ];
    const [peer] = roundRatios(rounds);
    expect(peer?.perRound.map((x) => +x.toFixed(6))).toEqual([2, 3, 1.1]);
    expect(peer?.median).toBe(2);
    expect(peer?.verdict).toMatch(/^kiln ahead in every round \(spread 2.73x: magnitude uncertain\)$/);
  });

  it('keeps the median round per library, with every round in its notes', () => {
    const merged = mergeRounds([[w1('kiln', 10)], [w1('kiln', 30)], [w1('kiln', 20)]]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.value).toBe(20);
    expect(merged[0]?.notes).toEqual(['rounds: 10.0, 30.0, 20.0']);
  });
});

describe('roofline fractions', () => {
  const roof: Roofline = { copy_gbps: 20, fma_gflops: 50, copy_bytes: 1 << 20, note: '' };
  it('divides by the FMA peak, the copy bandwidth, or compares the FMA-bound time', () => {
    expect(rooflineFraction(w1('kiln', 10), roof)).toBeCloseTo(0.2, 12);
    const w2: WorkloadResult = { workload: 'W2', library: 'kiln', case: 'c', params: { id: 'W2', elems: 1024 }, median_ms: 1, metric: 'GB/s', value: 5 };
    expect(rooflineFraction(w2, roof)).toBeCloseTo(0.25, 12);
    // W4 b8 H16: 3 · 2 · 8 · (784·16 + 16·16 + 16·10) = 622,080 FLOP; at 50 GFLOP/s 0.0124416 ms; over 2 ms.
    expect(rooflineFraction(w4('kiln', 2), roof)).toBeCloseTo(0.0124416 / 2, 9);
  });
});

describe('the reference process on tiny workloads', () => {
  it('spot-checks its GEMM and elementwise kernels and measures a positive roofline', async () => {
    const config: LibConfig = {
      size: 'quick',
      workloads: [
        { id: 'W1', n: 64 },
        { id: 'W2', elems: 4096 },
        { id: 'W3', rows: 8, cols: 64 },
      ],
      timing: { batch: 2, iterations: 3, timeMs: 0, warmupIterations: 1 },
      stepBatch: 1,
    };
    const out = await runChild(LIB_SCRIPTS.reference, config, 120_000);
    expect(out.failure).toBeUndefined();
    const report = out.report as LibReport;
    if (report.error !== undefined && report.adapter === null && process.env['KILN_ALLOW_NO_WEBGPU'] === '1') return;
    expect(report.error).toBeUndefined();
    // W3 has no reference kernel: only W1 and W2 are run.
    expect(report.results.map((r) => [r.workload, r.library, r.error])).toEqual([
      ['W1', 'reference', undefined],
      ['W2', 'reference', undefined],
    ]);
    for (const r of report.results) expect(r.notes).toContain('spot-checked');
    expect(report.roofline?.copy_gbps).toBeGreaterThan(0);
    expect(report.roofline?.fma_gflops).toBeGreaterThan(0);
  });
});
