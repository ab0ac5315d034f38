// Benchmarks: the timing harness every library process uses. tinybench times one sample = `batch`
// ops queued and one wait for the GPU; the per-op time is sample / batch. Also the per-case
// error capture, so one failing workload never hides the others.

import { Bench } from 'tinybench';
import { errorText, type Library, type TimingConfig, type WorkloadResult } from './protocol.js';
import { caseLabel, metricOf, metricValue, type Workload } from './workloads.js';

export interface SampleStats {
  readonly median: number;
  readonly p25: number;
  readonly p75: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** Linear-interpolated quantile of sorted values (q in [0, 1]). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (pos - lo);
}

export function summarize(samples: readonly number[]): SampleStats {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), min: s[0] ?? Number.NaN, max: s[s.length - 1] ?? Number.NaN, n: s.length };
}

/**
 * Times `batchOfOps` (which must queue `batch` ops and wait for them) and returns per-op stats in
 * ms. Warm-up iterations run first (pipeline compilation, buffer pools, JIT caches).
 */
export async function timeBatched(name: string, batchOfOps: () => Promise<void>, batch: number, timing: TimingConfig): Promise<SampleStats> {
  const bench = new Bench({
    iterations: timing.iterations,
    time: timing.timeMs,
    warmup: timing.warmupIterations > 0,
    warmupIterations: Math.max(1, timing.warmupIterations),
    warmupTime: 0,
    retainSamples: true,
    throws: true,
  });
  bench.add(name, batchOfOps, { async: true });
  const [task] = await bench.run();
  const result = task?.result;
  if (result === undefined || !('latency' in result)) throw new Error(`${name}: tinybench produced no samples (state ${result?.state ?? 'unknown'})`);
  const samples = result.latency.samples;
  if (samples === undefined) throw new Error(`${name}: tinybench did not retain samples`);
  return summarize(samples.map((ms) => ms / batch));
}

export interface Extra {
  readonly gpu_busy_ms?: number | null;
  readonly gpu_busy_note?: string;
  readonly peak_bytes?: number | null;
  readonly notes?: readonly string[];
}

export function timedResult(library: Library, w: Workload, stats: SampleStats, batch: number, extra: Extra = {}): WorkloadResult {
  return {
    workload: w.id,
    library,
    case: caseLabel(w),
    params: w,
    median_ms: stats.median,
    p25_ms: stats.p25,
    p75_ms: stats.p75,
    min_ms: stats.min,
    max_ms: stats.max,
    samples: stats.n,
    batch,
    metric: metricOf(w.id),
    value: metricValue(w, stats.median),
    gpu_busy_ms: extra.gpu_busy_ms ?? null,
    ...(extra.gpu_busy_note !== undefined ? { gpu_busy_note: extra.gpu_busy_note } : {}),
    ...(extra.peak_bytes !== undefined ? { peak_bytes: extra.peak_bytes } : {}),
    ...(extra.notes !== undefined && extra.notes.length > 0 ? { notes: extra.notes } : {}),
  };
}

export function failedResult(library: Library, w: Workload, e: unknown): WorkloadResult {
  return { workload: w.id, library, case: caseLabel(w), params: w, error: errorText(e) };
}

/** Runs every workload through `runOne`, turning a throw into an error entry for that case. */
export async function runAll(library: Library, workloads: readonly Workload[], runOne: (w: Workload) => Promise<WorkloadResult>): Promise<WorkloadResult[]> {
  const out: WorkloadResult[] = [];
  for (const w of workloads) {
    const started = performance.now();
    try {
      out.push(await runOne(w));
    } catch (e) {
      out.push(failedResult(library, w, e));
    }
    process.stderr.write(`[${library}] ${w.id} ${caseLabel(w)}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  return out;
}
