// The autotuner: for each tunable kernel signature of a fused graph, compiles the graph with each
// candidate schedule for that signature (the rest at their defaults), rejects candidates whose
// outputs differ from the default schedule's, times the rest against the default in interleaved
// rounds, and returns the winner per signature as cache entries plus a before/after report.

import { KilnError, Mulberry32, numel, type Graph, type HostTensor } from '@kiln/ir';
import { kernelScheduleLabel, type DeviceLimits, type KernelSchedule } from '@kiln/codegen-wgsl';
import type { KernelTimingSource, WebGpuExecutable } from '../webgpu/executable.js';
import type { TuneEntry } from './cache-format.js';
import { timeInterleaved } from './measure.js';
import { CANDIDATE_SOURCES } from './candidates.js';
import { kernelSignature, type KernelSignature } from './signature.js';
import type { ScheduleChoices } from './mode.js';

export type { ScheduleChoices, TuneMode } from './mode.js';

export interface TuneReportRow {
  readonly signature: string;
  /** Kernels of the graph with this signature. */
  readonly kernels: readonly string[];
  readonly before: { readonly label: string; readonly ms: number };
  readonly after: { readonly label: string; readonly ms: number };
  readonly candidates: number;
  /** Candidates whose output differed from the default's (never allowed to win). */
  readonly rejected: number;
  /** How before and after were timed: GPU timestamps around the signature's dispatches, or the wall clock. */
  readonly timing: KernelTimingSource;
  readonly entry: TuneEntry;
}

const SETTINGS = { quick: { rounds: 5, batch: 3 }, full: { rounds: 9, batch: 5 } } as const;

/** Deterministic pseudo-random inputs (f32 in [-1, 1); other dtypes zeros, valid as indices). */
function fill(dtype: string, n: number, seed: number): Float32Array | Int32Array {
  if (dtype !== 'f32') return new Int32Array(n);
  const rng = new Mulberry32(seed);
  return Float32Array.from({ length: n }, () => 2 * rng.float() - 1);
}

async function outputsOf(exe: WebGpuExecutable, graph: Graph): Promise<HostTensor[]> {
  graph.inputs.forEach((inp, i) => {
    if (inp.state) exe.setState(inp.name, fill(inp.type.dtype, numel(inp.type.shape), 100 + i));
  });
  const inputs = Object.fromEntries(graph.inputs.filter((i) => !i.state).map((inp, i) => [inp.name, fill(inp.type.dtype, numel(inp.type.shape), i + 1)]));
  const outs = Object.values(await exe.run(inputs));
  for (const name of exe.stateNames) outs.push(await exe.getState(name));
  return outs;
}

/** Worst |got − want| / (1 + |want|) over all outputs (NaN where they disagree on NaN). */
function worstError(got: readonly HostTensor[], want: readonly HostTensor[]): number {
  let worst = 0;
  want.forEach((w, k) => {
    const g = got[k]!;
    for (let i = 0; i < w.data.length; i++) {
      const a = Number(g.data[i]);
      const b = Number(w.data[i]);
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      worst = Math.max(worst, Number.isNaN(a) !== Number.isNaN(b) ? Infinity : Math.abs(a - b) / (1 + Math.abs(b)));
    }
  });
  return worst;
}

/** The two executables run the same shader text for the named kernels. */
function sameCode(a: WebGpuExecutable, b: WebGpuExecutable, kernels: readonly string[]): boolean {
  const hashes = (e: WebGpuExecutable): string =>
    e.kernels
      .filter((k) => kernels.includes(k.name))
      .map((k) => k.hash)
      .join();
  return hashes(a) === hashes(b);
}

/** How much faster than the default a winner must be (2%). */
const MIN_GAIN = 1.02;

/** Tolerance of the output check: f32 sums reordered by a different tiling. */
const TOLERANCE = 1e-3;

/** The tunable signatures of a fused graph, each with the names of its kernels, in kernel order. */
export function tunableSignatures(graph: Graph): Map<string, { sig: KernelSignature; kernels: string[] }> {
  const sigs = new Map<string, { sig: KernelSignature; kernels: string[] }>();
  for (const kernel of graph.kernels ?? []) {
    const sig = kernelSignature(kernel);
    if (sig === undefined) continue;
    const entry = sigs.get(sig.key) ?? { sig, kernels: [] };
    entry.kernels.push(kernel.name);
    sigs.set(sig.key, entry);
  }
  return sigs;
}

/**
 * Tunes every tunable signature of the fused `graph` not in `skip` (signatures the cache already
 * holds, when the caller does not want them re-measured).
 */
export async function tuneGraph(
  graph: Graph,
  mode: 'quick' | 'full',
  limits: DeviceLimits,
  compileWith: (choices: ScheduleChoices) => Promise<WebGpuExecutable>,
  skip: ReadonlySet<string> = new Set(),
): Promise<TuneReportRow[]> {
  const rows: TuneReportRow[] = [];
  for (const [key, { sig, kernels }] of tunableSignatures(graph)) {
    if (skip.has(key)) continue;
    const base = await compileWith(new Map([[key, 'default']]));
    const opened: WebGpuExecutable[] = [base];
    try {
      const expected = await outputsOf(base, graph);
      const defaultLabel = base.kernels.find((k) => kernels.includes(k.name))?.template ?? 'default';
      const passing: { schedule: KernelSchedule; exe: WebGpuExecutable }[] = [];
      const candidates = CANDIDATE_SOURCES[sig.cls](mode, sig, limits);
      let rejected = 0;
      for (const schedule of candidates) {
        let exe: WebGpuExecutable;
        try {
          exe = await compileWith(new Map([[key, schedule]]));
        } catch (e) {
          // A schedule the template cannot take for this kernel (an operand layout it lacks) is skipped.
          if (e instanceof KilnError) {
            rejected++;
            continue;
          }
          throw e;
        }
        opened.push(exe);
        // The default's own schedule under another name: timing it again would only let noise win.
        if (sameCode(exe, base, kernels)) continue;
        if (worstError(await outputsOf(exe, graph), expected) <= TOLERANCE) passing.push({ schedule, exe });
        else rejected++;
      }
      const { rounds, batch } = SETTINGS[mode];
      // Only this signature's kernels are timed: the other kernels run the same code in every candidate.
      const ms = await timeInterleaved([base, ...passing.map((p) => p.exe)], rounds, batch, new Set(kernels));
      const defaultMs = ms[0]!;
      let best = -1;
      // A candidate must beat the default by MIN_GAIN to replace it: smaller gaps are timing noise.
      passing.forEach((_, i) => {
        if (ms[i + 1]! < (best < 0 ? defaultMs / MIN_GAIN : ms[best + 1]!)) best = i;
      });
      const winner = best < 0 ? undefined : passing[best]!.schedule;
      const label = winner === undefined ? defaultLabel : kernelScheduleLabel(winner);
      const entry: TuneEntry = { schedule: winner ?? 'default', label, ms: best < 0 ? defaultMs : ms[best + 1]!, defaultMs, mode, at: new Date().toISOString() };
      rows.push({
        signature: key,
        kernels,
        before: { label: defaultLabel, ms: defaultMs },
        after: { label, ms: entry.ms },
        candidates: candidates.length,
        rejected,
        timing: base.timing,
        entry,
      });
    } finally {
      for (const e of opened) e.dispose();
    }
  }
  return rows;
}
