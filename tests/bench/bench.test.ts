// `pnpm bench` plumbing: the statistics and metric arithmetic (checked against hand-computed
// values), the "behind" logic, flag parsing, and Kiln's library process run for real on tiny
// workloads, checking the report's shape and that every number is positive and finite.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { createWebGpuBackend, requestWebGpuDevice } from '@kiln/runtime';
import { parseBenchArgs } from '../../bench/cli.js';
import { RESULT_MARKER, parseReport, type LibConfig, type LibReport, type WorkloadResult } from '../../bench/protocol.js';
import { behindList } from '../../bench/report.js';
import { LIB_SCRIPTS, runChild } from '../../bench/spawn.js';
import { quantile, summarize } from '../../bench/harness.js';
import { metricValue, type Workload } from '../../bench/workloads.js';

describe('bench statistics and metrics', () => {
  it('quantiles interpolate linearly between sorted samples', () => {
    // Sorted 1..5: positions 0..4; p25 at 1 → 2, p75 at 3 → 4; [1,2,3,4] p25 at 0.75 → 1.75.
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    const s = summarize([9, 1, 5, 3, 7]);
    expect(s).toEqual({ median: 5, p25: 3, p75: 7, min: 1, max: 9, n: 5 });
  });

  it('converts a time per op into each workload metric', () => {
    // 2·1024³ FLOP in 1 ms = 2147.483648 GFLOP/s.
    expect(metricValue({ id: 'W1', n: 1024 }, 1)).toBeCloseTo(2147.483648, 6);
    // 16M f32 read + written (8 bytes each) in 2 ms = 67.108864 GB/s.
    expect(metricValue({ id: 'W2', elems: 1 << 24 }, 2)).toBeCloseTo(67.108864, 6);
    // 3x3 conv, 1x2x2x1 → 1 output channel: 2·1·2·2·1·9·1 = 72 FLOP in 1 ms = 7.2e-5 GFLOP/s.
    expect(metricValue({ id: 'W5', n: 1, hw: 2, cin: 1, cout: 1, k: 3 }, 1)).toBeCloseTo(7.2e-5, 12);
    expect(metricValue({ id: 'W4', batch: 8, hidden: 16, lr: 0.1 }, 3.5)).toBe(3.5);
  });
});

function result(workload: 'W1' | 'W4', library: WorkloadResult['library'], value: number): WorkloadResult {
  const params: Workload = workload === 'W1' ? { id: 'W1', n: 64 } : { id: 'W4', batch: 8, hidden: 16, lr: 0.1 };
  return { workload, library, case: 'c', params, median_ms: 1, metric: workload === 'W1' ? 'GFLOP/s' : 'ms/step', value };
}

describe('behind list', () => {
  it('names every peer that beats Kiln, higher-is-better and lower-is-better alike', () => {
    const list = behindList([
      result('W1', 'kiln', 10),
      result('W1', 'tfjs', 5),
      result('W1', 'jax-js', 20),
      result('W4', 'kiln', 3),
      result('W4', 'tfjs', 4),
      result('W4', 'jax-js', 1.5),
    ]);
    expect(list.map((b) => [b.workload, b.peer, b.factor])).toEqual([
      ['W1', 'jax-js', 2],
      ['W4', 'jax-js', 2],
    ]);
  });

  it('counts a Kiln failure as behind every peer that ran', () => {
    const kiln: WorkloadResult = { workload: 'W1', library: 'kiln', case: 'c', params: { id: 'W1', n: 64 }, error: 'boom' };
    const list = behindList([kiln, result('W1', 'tfjs', 5)]);
    expect(list).toHaveLength(1);
    expect(list[0]?.factor).toBeNull();
    expect(list[0]?.kiln).toContain('boom');
  });
});

describe('bench flags and child protocol', () => {
  it('parses the documented flags and rejects unknown workloads', () => {
    const a = parseBenchArgs(['--quick', '--only', 'W4,compile', '--libs', 'kiln,tfjs', '--json', 'o.json']);
    expect(a.size).toBe('quick');
    expect([...a.workloads]).toEqual(['W4']);
    expect([...a.sections]).toEqual(['compile']);
    expect(a.libs).toEqual(['kiln', 'tfjs']);
    expect(a.json).toBe('o.json');
    expect(() => parseBenchArgs(['--only', 'W9'])).toThrow(/unknown workload: W9/);
    expect(() => parseBenchArgs(['--quick', '--full'])).toThrow(/exclude/);
    expect(a.tune).toBe('quick');
    expect(parseBenchArgs(['--tune', 'cached']).tune).toBe('cached');
    expect(() => parseBenchArgs(['--tune', 'fast'])).toThrow(/--tune wants one of quick, full, cached, off/);
  });

  it('turns a library process that dies before reporting into a failure, not a result', async () => {
    const out = await runChild(`${LIB_SCRIPTS.kiln}.missing.ts`, {}, 60_000);
    expect(out.report).toBeUndefined();
    expect(out.failure).toMatch(/exited with code 1/);
  });

  it('reads the report after the marker, ignoring other output', () => {
    expect(parseReport<{ a: number }>(`Dawn warning\n${RESULT_MARKER}{"a":1}\nmore noise`)).toEqual({ a: 1 });
    expect(parseReport('no marker here')).toBeUndefined();
  });
});

const positive = (v: number | undefined | null): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;

describe("Kiln's library process on tiny workloads", () => {
  it('reports medians, spreads and metrics that are positive and finite', async () => {
    const config: LibConfig = {
      size: 'quick',
      workloads: [
        { id: 'W1', n: 32 },
        { id: 'W3', rows: 8, cols: 64 },
        { id: 'W4', batch: 8, hidden: 16, lr: 0.1 },
      ],
      timing: { batch: 2, iterations: 3, timeMs: 0, warmupIterations: 1 },
      stepBatch: 1,
    };
    const out = await runChild(LIB_SCRIPTS.kiln, config, 120_000);
    expect(out.failure).toBeUndefined();
    const report = out.report as LibReport;
    if (report.error !== undefined && process.env['KILN_ALLOW_NO_WEBGPU'] === '1') return;
    expect(report.error).toBeUndefined();
    expect(report.library).toBe('kiln');
    expect(report.results.map((r) => [r.workload, r.library, r.case])).toEqual([
      ['W1', 'kiln', 'N=32'],
      ['W3', 'kiln', '8x64'],
      ['W4', 'kiln', '784-16-16-10 b8'],
    ]);
    for (const r of report.results) {
      expect(r.error, `${r.workload}: ${r.error}`).toBeUndefined();
      for (const v of [r.median_ms, r.p25_ms, r.p75_ms, r.min_ms, r.max_ms, r.value]) expect(positive(v), `${r.workload} ${v}`).toBe(true);
      expect(r.min_ms! <= r.p25_ms! && r.p25_ms! <= r.median_ms! && r.median_ms! <= r.p75_ms! && r.p75_ms! <= r.max_ms!).toBe(true);
      expect(r.samples).toBeGreaterThanOrEqual(3);
      expect(r.value).toBeCloseTo(metricValue(r.params, r.median_ms!), 9);
      expect(r.gpu_busy_ms === null || positive(r.gpu_busy_ms)).toBe(true);
    }
    expect(report.results.find((r) => r.workload === 'W1')?.notes).toContain('spot-checked');
    const [mem] = report.memory ?? [];
    expect(mem).toBeDefined();
    // The plan can never use less than the lower bound, nor more than no reuse at all.
    expect(mem!.lower_bound_bytes).toBeGreaterThan(0);
    expect(mem!.lower_bound_bytes).toBeLessThanOrEqual(mem!.plan_peak_bytes);
    expect(mem!.plan_peak_bytes).toBeLessThanOrEqual(mem!.plan_naive_bytes);
    expect(mem!.runtime_bytes).toBeGreaterThan(mem!.persistent_bytes);
    // Parameters alone: 784·16 + 16 + 16·16 + 16 + 16·10 + 10 floats = 13,002 floats, > 52 KB.
    expect(mem!.persistent_bytes).toBeGreaterThan(13_002 * 4);
  });
});

describe("Kiln's tuning pass (--tune quick)", () => {
  it('tunes before the rounds, so the timed compile takes no timings and names its schedules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-tune-'));
    const saved = process.env['KILN_TUNE_CACHE'];
    process.env['KILN_TUNE_CACHE'] = join(dir, 'tune.json');
    try {
      const config: LibConfig = { size: 'quick', workloads: [{ id: 'W1', n: 32 }], timing: { batch: 2, iterations: 3, timeMs: 0, warmupIterations: 1 }, stepBatch: 1, tune: 'quick' };
      const pass = await runChild(LIB_SCRIPTS.kiln, { ...config, tuneOnly: true }, 300_000);
      expect(pass.failure).toBeUndefined();
      if (pass.report?.error !== undefined && process.env['KILN_ALLOW_NO_WEBGPU'] === '1') return;
      expect(pass.report?.results).toEqual([]);
      expect(pass.report?.tune?.[0]).toMatch(/^W1 gemm f32 a32x32 b32x32 c32x32: .* → .* \(×[\d.]+; \d+ candidates, 0 rejected, (wall-clock|timestamp-query)\)$/);
      const timed = await runChild(LIB_SCRIPTS.kiln, config, 120_000);
      const [w1] = timed.report?.results ?? [];
      expect(w1?.error).toBeUndefined();
      const note = w1?.notes?.find((n) => n.startsWith('tune quick:'));
      expect(note).toMatch(/^tune quick: [01] of 1 kernel\(s\) on tuned schedules$/);
      expect(w1?.kernels).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env['KILN_TUNE_CACHE'];
      else process.env['KILN_TUNE_CACHE'] = saved;
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
});

describe('WebGpuExecutable.runRepeated (the timing entry point)', () => {
  it('applies the state update once per repetition, with inputs uploaded once', async () => {
    let device;
    try {
      device = await requestWebGpuDevice();
    } catch (e) {
      if (process.env['KILN_ALLOW_NO_WEBGPU'] === '1') return;
      throw e;
    }
    // acc' = acc * 2 + x: from acc = 1 with x = 3, three steps give 5, 13, 29.
    const traced = k.trace(
      ({ x }) => {
        const acc = k.state('acc', [4], k.init.ones());
        const next = k.add(k.mul(acc, 2), x);
        k.assign(acc, next);
        return { y: next };
      },
      { x: k.f32([4]) },
      { name: 'accumulate' },
    );
    const exe = await createWebGpuBackend({ device }).compile(traced.graph, { state: { acc: [1, 1, 1, 1] } });
    try {
      await exe.runRepeated(3, { x: [3, 3, 3, 3] });
      expect(Array.from((await exe.getState('acc')).data)).toEqual([29, 29, 29, 29]);
      // No inputs given: x keeps its last upload. 29 * 2 + 3 = 61.
      await exe.runRepeated(1);
      expect(Array.from((await exe.getState('acc')).data)).toEqual([61, 61, 61, 61]);
      expect(exe.lastRunDispatches).toBe(exe.dispatchesPerRun);
    } finally {
      exe.dispose();
    }
  });
});
