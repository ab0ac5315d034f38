// Elementwise schedules as data: what the elementwise template (elementwise.ts) is parametrized by —
// elements per invocation, vec4 loads and stores, workgroup size — with a legality check against the
// device limits, the default, and the candidate set a tuner may time (each legal by construction).

import { fitWorkgroupSize, type DeviceLimits } from '../limits.js';

export const ELEMENTS_PER_THREAD = [1, 2, 4, 8] as const;
export type ElementsPerThread = (typeof ELEMENTS_PER_THREAD)[number];

export interface ElementwiseSchedule {
  readonly kind: 'elementwise';
  /** Output elements per invocation (with vec4: 4 or 8, i.e. one or two vec4s). */
  readonly perThread: ElementsPerThread;
  /**
   * Compute four elements at once in vec4 value functions, loading same-shape f32 inputs and
   * storing the output as vec4. Taken only where the kernel allows it (f32 output, element count
   * % 4 == 0, output not read in place); elsewhere the same schedule runs per element.
   */
  readonly vec4: boolean;
  readonly workgroup: number;
}

const isPow2 = (x: number): boolean => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;

/** Why a schedule cannot run on a device with these limits (undefined: it can). */
export function elementwiseScheduleProblem(s: ElementwiseSchedule, limits: DeviceLimits): string | undefined {
  if (!(ELEMENTS_PER_THREAD as readonly number[]).includes(s.perThread)) return `elements per thread ${s.perThread} not one of ${ELEMENTS_PER_THREAD.join('/')}`;
  if (s.vec4 && s.perThread < 4) return `vec4 needs 4 or 8 elements per thread, not ${s.perThread}`;
  const max = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  if (!isPow2(s.workgroup) || s.workgroup > max) return `workgroup ${s.workgroup} must be a power of two ≤ ${max}`;
  return undefined;
}

/** A short name, used in the template label: `w64-e4-v4`. */
export function elementwiseScheduleLabel(s: ElementwiseSchedule): string {
  return `w${s.workgroup}-e${s.perThread}${s.vec4 ? '-v4' : ''}`;
}

/**
 * The default: one vec4 per invocation in workgroups of 256 where the kernel can take vec4 (on
 * llvmpipe 2–2.4× one element per invocation on W2 in scratch timings of hand-edited kernels, and
 * the tuner's pick over 64 in each W2 tune, ×1.03–1.19), else one element per invocation in
 * workgroups of 64. `workgroup` overrides the size (capped by the limits).
 */
export function defaultElementwiseSchedule(limits: DeviceLimits, vec4: boolean, workgroup = vec4 ? 256 : 64): ElementwiseSchedule {
  return { kind: 'elementwise', perThread: vec4 ? 4 : 1, vec4, workgroup: fitWorkgroupSize(workgroup, limits) };
}

/** Every legal schedule over 1–8 elements per invocation, scalar and vec4, workgroups 32–256 (quick: 64 and 256). */
export function elementwiseCandidates(mode: 'quick' | 'full', limits: DeviceLimits): ElementwiseSchedule[] {
  const sizes = mode === 'quick' ? [64, 256] : [32, 64, 128, 256];
  const out: ElementwiseSchedule[] = [];
  const seen = new Set<string>();
  for (const vec4 of [true, false])
    for (const perThread of ELEMENTS_PER_THREAD)
      for (const want of sizes) {
        const s: ElementwiseSchedule = { kind: 'elementwise', perThread, vec4, workgroup: fitWorkgroupSize(want, limits) };
        const label = elementwiseScheduleLabel(s);
        if (elementwiseScheduleProblem(s, limits) === undefined && !seen.has(label) && (mode === 'full' || vec4 || perThread !== 2)) {
          seen.add(label);
          out.push(s);
        }
      }
  return out;
}
