// Using tuned schedules at compile time: a per-kernel choice (schedule + a note saying where it
// came from) looked up by signature in the cache or in forced choices, and the note written into
// the generated kernel (a WGSL comment, and the template name) so the decision is visible.

import type { Graph } from '@kiln/ir';
import { kernelScheduleLabel, kernelScheduleProblem, type DeviceLimits, type GeneratedKernel, type KernelSchedule } from '@kiln/codegen-wgsl';
import type { TuneEntries } from './cache-format.js';
import { kernelSignature, type TunableClass } from './signature.js';
import type { ScheduleChoices } from './mode.js';

export interface KernelChoice {
  readonly schedule: KernelSchedule;
  /** e.g. `schedule t64x64x16-r8x8-v4 from the tune cache (gemm f32 a256x256 …)`. */
  readonly note: string;
}

export type ChooseSchedule = (kernel: Graph) => KernelChoice | undefined;

/** Why a cached schedule cannot serve a kernel of this class (GEMM schedules for GEMM and conv). */
function kindProblem(s: KernelSchedule, cls: TunableClass): string | undefined {
  return (s.kind === 'elementwise') === (cls === 'elementwise') ? undefined : `a ${s.kind} schedule for a ${cls} kernel`;
}

const warnedStale = new Set<string>();

/**
 * Choices from cache entries of this adapter. An entry illegal on these limits (tuned on a device
 * created with other limits) is stale: never used, warned about once per signature and process.
 */
export function chooseFromCache(entries: TuneEntries, adapter: string, limits: DeviceLimits, warn: (message: string) => void = (m) => console.warn(m)): ChooseSchedule {
  const mine = entries[adapter] ?? {};
  return (kernel) => {
    const sig = kernelSignature(kernel);
    const entry = sig === undefined ? undefined : mine[sig.key];
    if (sig === undefined || entry === undefined || entry.schedule === 'default') return undefined;
    const problem = kindProblem(entry.schedule, sig.cls) ?? kernelScheduleProblem(entry.schedule, limits);
    if (problem !== undefined) {
      if (!warnedStale.has(`${adapter}|${sig.key}`)) {
        warnedStale.add(`${adapter}|${sig.key}`);
        warn(`kiln: ignoring the tuned schedule ${kernelScheduleLabel(entry.schedule)} for ${sig.key}: ${problem} on this device (the default is used; tune again to replace it)`);
      }
      return undefined;
    }
    return {
      schedule: entry.schedule,
      note: `schedule ${kernelScheduleLabel(entry.schedule)} from the tune cache (${sig.key}; ${entry.ms.toFixed(3)} ms vs default ${entry.defaultMs.toFixed(3)} ms, ${entry.mode})`,
    };
  };
}

/** Choices forced by the tuner while it times candidates. */
export function chooseForced(choices: ScheduleChoices): ChooseSchedule {
  return (kernel) => {
    const sig = kernelSignature(kernel);
    const s = sig === undefined ? undefined : choices.get(sig.key);
    if (sig === undefined || s === undefined || s === 'default') return undefined;
    return { schedule: s, note: `schedule ${kernelScheduleLabel(s)} forced by the tuner (${sig.key})` };
  };
}

/** The kernel with the choice's note as its first WGSL line and in its template name. */
export function annotateKernel(k: GeneratedKernel, note: string): GeneratedKernel {
  return { ...k, wgsl: `// ${note}\n${k.wgsl}`, template: `${k.template} [tuned]`, dispatch: () => k.dispatch() };
}
