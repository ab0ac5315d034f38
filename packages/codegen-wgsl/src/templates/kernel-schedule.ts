// Every tunable schedule kind as one union (GEMM and elementwise), for the tuner and its cache:
// legality, label, and the codegen options that apply a schedule.

import type { GenerateOptions } from '../generate.js';
import type { DeviceLimits } from '../limits.js';
import { elementwiseScheduleLabel, elementwiseScheduleProblem, type ElementwiseSchedule } from './elementwise-schedule.js';
import { gemmScheduleProblem, scheduleLabel, type GemmSchedule } from './gemm-schedule.js';

export type KernelSchedule = GemmSchedule | ElementwiseSchedule;

const isElementwise = (s: KernelSchedule): s is ElementwiseSchedule => s.kind === 'elementwise';

/** Why the schedule cannot run with these limits (undefined: it can). */
export function kernelScheduleProblem(s: KernelSchedule, limits: DeviceLimits): string | undefined {
  return isElementwise(s) ? elementwiseScheduleProblem(s, limits) : gemmScheduleProblem(s, limits);
}

/** `t64x64x16-r8x8-v4` (GEMM) or `w64-e4-v4` (elementwise). */
export function kernelScheduleLabel(s: KernelSchedule): string {
  return isElementwise(s) ? elementwiseScheduleLabel(s) : scheduleLabel(s);
}

/** The codegen options forcing `s` on the kernels it applies to. */
export function scheduleOptions(s: KernelSchedule): Pick<GenerateOptions, 'gemm' | 'elementwise'> {
  return isElementwise(s) ? { elementwise: s } : { gemm: s };
}
