// Benchmarks: where a Kiln step spends its time without timestamp queries. The runtime's
// WebGpuExecutable.profileKernels runs one step with a submit and a wait per kernel; this repeats
// it and keeps each kernel's median, so the "behind" list can name the kernels to blame.

import type { KernelTiming, WebGpuExecutable } from '@kiln/runtime';
import { summarize } from './harness.js';

export interface KernelTime {
  readonly kernel: string;
  /** Codegen template and variant, e.g. 'matmul-splitk'. */
  readonly template: string;
  readonly grid: readonly number[];
  /** Median wall time of the kernel alone (its submit and wait included). */
  readonly ms: number;
}

/** Per-kernel median over `runs` profiled steps, slowest first (kernels keyed by dispatch order). */
export async function profileSteps(exe: WebGpuExecutable, runs: number): Promise<KernelTime[]> {
  const perRun: KernelTiming[][] = [];
  for (let r = 0; r < runs; r++) perRun.push(await exe.profileKernels());
  const first = perRun[0] ?? [];
  return first
    .map((k, i) => ({ kernel: k.kernel, template: k.template, grid: [...k.grid], ms: summarize(perRun.map((run) => run[i]?.ms ?? Number.NaN)).median }))
    .sort((a, b) => b.ms - a.ms);
}

/** "name (template) grid: 12.3 ms alone, 41% of the kernels' sum" for the slowest `top` kernels. */
export function profileNotes(times: readonly KernelTime[], top = 3): string[] {
  const total = times.reduce((s, t) => s + t.ms, 0);
  return times
    .slice(0, top)
    .map((t) => `${t.kernel} (${t.template}, grid ${t.grid.join('x')}): ${t.ms.toFixed(2)} ms alone, ${((100 * t.ms) / total).toFixed(0)}% of the kernels' sum ${total.toFixed(1)} ms`);
}
