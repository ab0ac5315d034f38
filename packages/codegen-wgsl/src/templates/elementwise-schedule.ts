// Elementwise schedules as data: what the elementwise template (elementwise.ts) is parametrized by —
// elements per invocation, their order, vec4 loads and stores, workgroup size — with a legality check
// against the device limits, the default, and the candidate set a tuner may time (each legal by construction).

import { fitWorkgroupSize, type DeviceLimits } from '../limits.js';

export const ELEMENTS_PER_THREAD = [1, 2, 4, 8, 16] as const;
export type ElementsPerThread = (typeof ELEMENTS_PER_THREAD)[number];

/**
 * How an invocation's units (vec4s or elements) lie: `strided` — a workgroup's width apart, so
 * neighbouring invocations touch neighbouring addresses (coalesced, what GPUs want); `blocked` —
 * adjacent, one contiguous run per invocation (what CPU adapters such as llvmpipe want, whose SIMD
 * lanes load per lane: a copy kernel there ran ×1.1–1.2 faster blocked, 4 vec4s per invocation).
 */
export type ElementOrder = 'strided' | 'blocked';

export interface ElementwiseSchedule {
  readonly kind: 'elementwise';
  /** Output elements per invocation (with vec4: 4, 8 or 16, i.e. one, two or four vec4s). */
  readonly perThread: ElementsPerThread;
  /** Where an invocation's units lie; moot with one unit per invocation. */
  readonly order: ElementOrder;
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
  if (s.vec4 && s.perThread < 4) return `vec4 needs 4, 8 or 16 elements per thread, not ${s.perThread}`;
  if (s.order !== 'strided' && s.order !== 'blocked') return `element order '${String(s.order)}' is not 'strided' or 'blocked'`;
  const max = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  if (!isPow2(s.workgroup) || s.workgroup > max) return `workgroup ${s.workgroup} must be a power of two ≤ ${max}`;
  return undefined;
}

/** Units (vec4s, or elements without vec4) per invocation. */
export const unitsPerThread = (s: ElementwiseSchedule): number => (s.vec4 ? s.perThread / 4 : s.perThread);

/** A short name, used in the template label: `w64-e4-v4`, `w256-e16-v4-b` (blocked; strided is unmarked). */
export function elementwiseScheduleLabel(s: ElementwiseSchedule): string {
  return `w${s.workgroup}-e${s.perThread}${s.vec4 ? '-v4' : ''}${s.order === 'blocked' && unitsPerThread(s) > 1 ? '-b' : ''}`;
}

export interface ElementwiseDefaults {
  /** Overrides the workgroup size (capped by the limits). */
  readonly workgroup?: number;
  /** The adapter emulates a GPU on the CPU (llvmpipe, SwiftShader, lavapipe): blocked order is the default. */
  readonly software?: boolean;
}

/**
 * The default on a GPU: one vec4 per invocation in workgroups of 256 where the kernel can take vec4
 * (on llvmpipe 2–2.4× one element per invocation on W2 in scratch timings of hand-edited kernels,
 * and the tuner's pick over 64 in each W2 tune, ×1.03–1.19), else one element per invocation in
 * workgroups of 64. On a software adapter: blocked runs of 16 elements (four vec4s) or, without
 * vec4, 8 elements, in workgroups of 256 — on llvmpipe, forced on seven kinds of kernel of 4k–256k
 * elements, ×1.36–1.58 over the GPU default for kernels without vec4 and ×0.97–1.12 with it (the
 * tuner's W2 pick, w256-e16-v4-b, ×1.24).
 */
export function defaultElementwiseSchedule(limits: DeviceLimits, vec4: boolean, opts: ElementwiseDefaults = {}): ElementwiseSchedule {
  if (opts.software === true) return { kind: 'elementwise', perThread: vec4 ? 16 : 8, order: 'blocked', vec4, workgroup: fitWorkgroupSize(opts.workgroup ?? 256, limits) };
  return { kind: 'elementwise', perThread: vec4 ? 4 : 1, order: 'strided', vec4, workgroup: fitWorkgroupSize(opts.workgroup ?? (vec4 ? 256 : 64), limits) };
}

/** In quick mode: vec4 schedules in both orders; without vec4, 1, 4 and 8 elements, strided. */
function inQuickSet(s: ElementwiseSchedule): boolean {
  return s.vec4 || (s.order === 'strided' && (s.perThread === 1 || s.perThread === 4 || s.perThread === 8));
}

/**
 * Every legal schedule over 1–16 elements per invocation in either order (one order where an
 * invocation has one unit), scalar and vec4, workgroups 32–256 (quick: fewer, see inQuickSet, and
 * workgroups 64 and 256).
 */
export function elementwiseCandidates(mode: 'quick' | 'full', limits: DeviceLimits): ElementwiseSchedule[] {
  const sizes = mode === 'quick' ? [64, 256] : [32, 64, 128, 256];
  const out: ElementwiseSchedule[] = [];
  const seen = new Set<string>();
  for (const vec4 of [true, false])
    for (const perThread of ELEMENTS_PER_THREAD)
      for (const order of ['strided', 'blocked'] as const)
        for (const want of sizes) {
          const s: ElementwiseSchedule = { kind: 'elementwise', perThread, order, vec4, workgroup: fitWorkgroupSize(want, limits) };
          const label = elementwiseScheduleLabel(s);
          const moot = order === 'blocked' && unitsPerThread(s) === 1;
          if (elementwiseScheduleProblem(s, limits) === undefined && !moot && !seen.has(label) && (mode === 'full' || inQuickSet(s))) {
            seen.add(label);
            out.push(s);
          }
        }
  return out;
}
