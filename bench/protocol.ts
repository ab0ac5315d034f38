// Benchmarks: what the orchestrator (bench/run.ts) hands each library process and what the process
// prints back — one JSON line after a marker on stdout, so Dawn's warnings cannot corrupt it.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Metric, SizeClass, Workload, WorkloadId } from './workloads.js';

export const LIBRARIES = ['kiln', 'tfjs', 'jax-js', 'reference'] as const;
export type Library = (typeof LIBRARIES)[number];
/** The peers Kiln's ratios are taken against ('reference' is Kiln's own hand-written row). */
export const PEERS: readonly Library[] = ['tfjs', 'jax-js'];

/** What the adapter can do, measured by the reference process with its own microkernels. */
export interface Roofline {
  /** copyBufferToBuffer bandwidth, read + written bytes per second / 1e9. */
  readonly copy_gbps: number;
  /** FMA-bound peak: 2 FLOP per fma. */
  readonly fma_gflops: number;
  readonly copy_bytes: number;
  readonly note: string;
}

export const RESULT_MARKER = '@@kiln-bench-result@@';

export interface TimingConfig {
  /** Ops queued before one wait; a sample is the time of the batch, reported per op. */
  readonly batch: number;
  /** Minimum timed samples per case. */
  readonly iterations: number;
  /** Time budget per case in ms (sampling continues until both limits are met). */
  readonly timeMs: number;
  readonly warmupIterations: number;
}

export interface LibConfig {
  readonly size: SizeClass;
  readonly workloads: readonly Workload[];
  readonly timing: TimingConfig;
  /** W4 runs this many batched steps per sample (training steps are long). */
  readonly stepBatch: number;
  /** Kiln only: the compile's tune mode; with `tuneOnly` the process tunes and times nothing. */
  readonly tune?: 'quick' | 'full' | 'cached' | 'off';
  readonly tuneOnly?: boolean;
}

/** One library on one workload case. Timing fields are absent when `error` is set. */
export interface WorkloadResult {
  readonly workload: WorkloadId;
  readonly library: Library;
  readonly case: string;
  readonly params: Workload;
  readonly error?: string;
  /** Median wall time per op (batched: `batch` ops queued, then one wait). */
  readonly median_ms?: number;
  readonly p25_ms?: number;
  readonly p75_ms?: number;
  readonly min_ms?: number;
  readonly max_ms?: number;
  readonly samples?: number;
  readonly batch?: number;
  readonly metric?: Metric;
  /** The metric at the median time. */
  readonly value?: number;
  /** GPU time per op from timestamp queries; null where the adapter (or library) cannot measure it. */
  readonly gpu_busy_ms?: number | null;
  readonly gpu_busy_note?: string;
  /** Bytes of GPU memory live at the peak of one training step (W4), where the library reports it. */
  readonly peak_bytes?: number | null;
  readonly notes?: readonly string[];
  /** Kiln: every kernel of the run as `name: template` ('[tuned]' marks a schedule from the tune cache). */
  readonly kernels?: readonly string[];
}

export interface CompileTimeResult {
  readonly graph: string;
  /** Nodes of the traced graph. */
  readonly nodes: number;
  readonly kernels: number;
  readonly trace_ms: number;
  readonly passes_ms: number;
  readonly codegen_ms: number;
  readonly total_ms: number;
  readonly wgsl_chars: number;
  /** The slowest passes, with their times. */
  readonly slowest_passes: readonly { readonly pass: string; readonly ms: number }[];
  /** Repetitions; the times are those of the median one. */
  readonly runs: number;
  readonly error?: string;
}

/** The compile row of a size that produced no measurement (the error says why). */
export function failedCompileResult(nodes: number, error: string): CompileTimeResult {
  return { graph: `~${nodes} nodes`, nodes, kernels: 0, trace_ms: 0, passes_ms: 0, codegen_ms: 0, total_ms: 0, wgsl_chars: 0, slowest_passes: [], runs: 0, error };
}

export interface MemoryResult {
  readonly workload: 'W4';
  readonly case: string;
  /** Bytes the WebGPU executable allocated for the step (every buffer: params, inputs, arena, …). */
  readonly runtime_bytes: number;
  /** The runtime's transient arena (part of runtime_bytes). */
  readonly runtime_arena_bytes: number;
  /** Parameters, optimizer state and inputs: memory no plan can avoid. */
  readonly persistent_bytes: number;
  /** The memory plan's arena for transients (plan-memory peakBytes). */
  readonly plan_peak_bytes: number;
  /** Transients with no reuse (plan-memory naiveBytes). */
  readonly plan_naive_bytes: number;
  /** The most transient bytes live at once (plan-memory lowerBoundBytes): no allocator can beat it. */
  readonly lower_bound_bytes: number;
  readonly note: string;
}

export interface LibReport {
  readonly library: Library;
  readonly version: string;
  readonly adapter: string | null;
  readonly timestampQuery: boolean;
  /** Set when the library could not start at all (its workloads then carry the same error). */
  readonly error?: string;
  readonly results: readonly WorkloadResult[];
  readonly compile?: readonly CompileTimeResult[];
  readonly memory?: readonly MemoryResult[];
  readonly roofline?: Roofline;
  /** Kiln's tuning pass: one line per tuned signature (before → after), and where the cache is. */
  readonly tune?: readonly string[];
}

/** The config a library process was started with (`--config <json>`). */
export function readConfig<T>(argv: readonly string[]): T {
  const i = argv.indexOf('--config');
  const text = i >= 0 ? argv[i + 1] : undefined;
  if (text === undefined) throw new Error('missing --config <json>');
  return JSON.parse(text) as T;
}

export function emitReport(report: unknown): void {
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(report)}\n`);
}

export function parseReport<T>(stdout: string): T | undefined {
  const at = stdout.lastIndexOf(RESULT_MARKER);
  if (at < 0) return undefined;
  const line = stdout.slice(at + RESULT_MARKER.length).split('\n', 1)[0] ?? '';
  return JSON.parse(line) as T;
}

export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n').slice(0, 6).join(' | ').slice(0, 600);
}

/** The installed version of an npm package (its package.json, found above its entry point). */
export function packageVersion(name: string): string {
  try {
    const req = createRequire(import.meta.url);
    let dir = dirname(req.resolve(name));
    for (;;) {
      const file = join(dir, 'package.json');
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? 'unknown';
      }
      const up = dirname(dir);
      if (up === dir) return 'unknown';
      dir = up;
    }
  } catch {
    return 'unknown';
  }
}
