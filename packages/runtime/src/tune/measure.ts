// Timing one executable for the tuner: GPU time from timestamp queries where the device has
// 'timestamp-query', else wall clock over a batched submit (runRepeated waits on
// onSubmittedWorkDone). Every measurement is counted, so tests can prove a mode timed nothing.

import type { WebGpuExecutable } from '../webgpu/executable.js';

let measurements = 0;

/** How many timings the tuner has taken in this process. */
export function tuneMeasurementCount(): number {
  return measurements;
}

/** Ms per run of `exe`, averaged over `batch` runs in one submit. */
export async function measureOnce(exe: WebGpuExecutable, batch: number): Promise<number> {
  measurements++;
  const gpu = await exe.gpuTimeMs(batch);
  if (gpu !== undefined) return gpu;
  const t0 = performance.now();
  await exe.runRepeated(batch);
  return (performance.now() - t0) / batch;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('internal: median of no samples');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median ms per run of each executable, timed in interleaved rounds (a load change hits all alike). */
export async function timeInterleaved(exes: readonly WebGpuExecutable[], rounds: number, batch: number): Promise<number[]> {
  const samples = exes.map((): number[] => []);
  // One untimed warm-up each: first dispatches pay pipeline and allocation costs.
  for (const e of exes) await e.runRepeated(1);
  for (let r = 0; r < rounds; r++) for (let i = 0; i < exes.length; i++) samples[i]!.push(await measureOnce(exes[i]!, batch));
  return samples.map(median);
}
