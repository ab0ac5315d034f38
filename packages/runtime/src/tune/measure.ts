// Timing one executable for the tuner: GPU time from timestamp queries where the device has
// 'timestamp-query', else wall clock over a batched submit (waiting on onSubmittedWorkDone) —
// of the whole run or of the tuned kernels alone. Every measurement is counted, so tests can
// prove a mode timed nothing.

import type { WebGpuExecutable } from '../webgpu/executable.js';

let measurements = 0;

/** How many timings the tuner has taken in this process. */
export function tuneMeasurementCount(): number {
  return measurements;
}

/** Ms per run of `exe` (or of just its `kernels`), averaged over `batch` runs in one submit. */
export async function measureOnce(exe: WebGpuExecutable, batch: number, kernels?: ReadonlySet<string>): Promise<number> {
  measurements++;
  // Undefined without 'timestamp-query': then the wall clock below.
  const gpu = kernels === undefined ? await exe.gpuTimeMs(batch) : await exe.gpuKernelsTimeMs(kernels, batch);
  if (gpu !== undefined) return gpu;
  const t0 = performance.now();
  if (kernels === undefined) await exe.runRepeated(batch);
  else await exe.runKernelsRepeated(kernels, batch);
  return (performance.now() - t0) / batch;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('internal: median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A sample should last this long, so submit-and-wait overhead and timer jitter stay small in it. */
const SAMPLE_MS = 6;
const MAX_BATCH = 64;

/**
 * Median ms per run of each executable (of just `kernels` when given: the kernels of the signature
 * being tuned, so the rest of a training step adds no noise), timed in interleaved rounds (a load
 * change hits all alike), at least `batch` runs per sample and enough to fill SAMPLE_MS.
 */
export async function timeInterleaved(exes: readonly WebGpuExecutable[], rounds: number, batch: number, kernels?: ReadonlySet<string>): Promise<number[]> {
  const samples = exes.map((): number[] => []);
  // One untimed warm-up each (first dispatches pay pipeline and allocation costs), then one
  // timed run of the first (the default) sizes the batch for every candidate alike.
  for (const e of exes) await e.runRepeated(1);
  const first = exes[0];
  if (first === undefined) return [];
  const t0 = performance.now();
  if (kernels === undefined) await first.runRepeated(1);
  else await first.runKernelsRepeated(kernels, 1);
  const perRun = Math.max(performance.now() - t0, 0.01);
  const n = Math.min(MAX_BATCH, Math.max(batch, Math.ceil(SAMPLE_MS / perRun)));
  for (let r = 0; r < rounds; r++) for (let i = 0; i < exes.length; i++) samples[i]!.push(await measureOnce(exes[i]!, n, kernels));
  return samples.map(median);
}
