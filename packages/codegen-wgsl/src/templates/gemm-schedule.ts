// GEMM schedules as data: what the GEMM template (gemm.ts) is parametrized by — tile M/N/K,
// the register block per invocation (work per thread), vec4 operand loads, and the workgroup
// size it implies — with the named variants as fixed schedules, a legality check against the
// device limits, and the candidate set a tuner may time (every candidate legal by construction).

import { fitWorkgroupSize, type DeviceLimits } from '../limits.js';

export type GemmVariant = 'simple' | 'tiled32' | 'tiled64' | 'tall' | 'narrow' | 'splitk';

/** Workgroup-tiled GEMM: a TM×TN output tile per workgroup, TK of K staged per step, RM×RN per invocation. */
export interface TiledGemmSchedule {
  readonly kind: 'tiled';
  readonly tm: number;
  readonly tn: number;
  readonly tk: number;
  readonly rm: number;
  readonly rn: number;
  /** Read operands as vec4 where the caller offers it (f32 inputs, contiguous dim % 4 == 0). */
  readonly vec4: boolean;
}

export type GemmSchedule =
  | { readonly kind: 'simple'; readonly workgroup: number }
  | TiledGemmSchedule
  /** A workgroup per 4×4 output block, its invocations splitting K (tree-summed). */
  | { readonly kind: 'splitk'; readonly workgroup: number };

/** Widest N the 'narrow' variant serves; beyond it a square tile wastes little. */
export const NARROW_MAX_N = 16;
export const SPLITK_BLOCK = 4;

/** Invocations per workgroup of a tiled schedule (a 1-D workgroup of (TM/RM)·(TN/RN)). */
export function tiledThreads(s: TiledGemmSchedule): number {
  return (s.tm / s.rm) * (s.tn / s.rn);
}

/** The fixed schedule of a named variant (the defaults; `n` sizes the 'narrow' tile). */
export function variantSchedule(variant: GemmVariant, n: number, limits: DeviceLimits): GemmSchedule {
  switch (variant) {
    case 'simple':
      return { kind: 'simple', workgroup: fitWorkgroupSize(64, limits) };
    case 'splitk':
      return { kind: 'splitk', workgroup: fitWorkgroupSize(64, limits) };
    case 'narrow': {
      // 64 invocations with 4×RN blocks: TN = the next power of two ≥ N (at least 4, at most 16).
      // Fewer invocations when the tall A tile would not fit in workgroup storage (N ≤ 4 with
      // 64 invocations needs a 256-row tile: 16.25 KiB, over the 16 KiB core default).
      const tn = Math.min(NARROW_MAX_N, Math.max(4, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
      let threads = fitWorkgroupSize(64, limits);
      const narrow = (t: number): GemmSchedule => ({ kind: 'tiled', tm: (t / (tn / 4)) * 4, tn, tk: 16, rm: 4, rn: 4, vec4: true });
      while (threads > tn / 4 && gemmScheduleProblem(narrow(threads), limits) !== undefined) threads /= 2;
      return narrow(threads);
    }
    case 'tiled32': {
      // 4×4 blocks (64 invocations), or 8×8 where the limits cannot hold 64.
      const r = fitWorkgroupSize(64, limits) >= 64 ? 4 : 8;
      return { kind: 'tiled', tm: 32, tn: 32, tk: 16, rm: r, rn: r, vec4: true };
    }
    case 'tall':
      // 128×32 tiles of 8×8 blocks (64 invocations) for N of 17–32 (conv channels): on llvmpipe
      // 1.6–1.9× tiled32 on W5's convs (bench/tune-gemm.ts-style timing, N = 32 output channels).
      return { kind: 'tiled', tm: 128, tn: 32, tk: 16, rm: 8, rn: 8, vec4: true };
    case 'tiled64':
      // 8×8 blocks, 64 invocations: on llvmpipe 1.6–2.4× the 16×16 invocations of 4×4 blocks this
      // variant used where the limits allowed 256 (bench/tune-gemm.ts, N = 128–512).
      return { kind: 'tiled', tm: 64, tn: 64, tk: 16, rm: 8, rn: 8, vec4: true };
    default: {
      const never: never = variant;
      return never;
    }
  }
}

const isPow2 = (x: number): boolean => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;

/** Why a schedule cannot run on a device with these limits (undefined: it can). */
export function gemmScheduleProblem(s: GemmSchedule, limits: DeviceLimits): string | undefined {
  const maxThreads = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  switch (s.kind) {
    case 'simple':
      return Number.isInteger(s.workgroup) && s.workgroup >= 1 && s.workgroup <= maxThreads ? undefined : `workgroup ${s.workgroup} outside 1..${maxThreads}`;
    case 'splitk':
      // The tree sum halves the invocations; the first 16 store the 4×4 block.
      if (!isPow2(s.workgroup) || s.workgroup < SPLITK_BLOCK * SPLITK_BLOCK || s.workgroup > maxThreads)
        return `split-K workgroup ${s.workgroup} must be a power of two in ${SPLITK_BLOCK ** 2}..${maxThreads}`;
      return s.workgroup * SPLITK_BLOCK * SPLITK_BLOCK * 4 <= limits.maxComputeWorkgroupStorageSize ? undefined : 'split-K partial sums exceed workgroup storage';
    case 'tiled': {
      const dims = [s.tm, s.tn, s.tk, s.rm, s.rn];
      // Tiles hold vec4s and the inner loop reads RM/4 + RN/4 of them; vec4 A loads fill 4 of K.
      if (!dims.every((d) => Number.isInteger(d) && d >= 4 && d % 4 === 0)) return `tile ${dims.join('/')} must be positive multiples of 4`;
      if (s.tm % s.rm !== 0 || s.tn % s.rn !== 0) return `register block ${s.rm}×${s.rn} must divide the tile ${s.tm}×${s.tn}`;
      const threads = tiledThreads(s);
      if (threads > maxThreads) return `${threads} invocations exceed ${maxThreads}`;
      const bytes = (s.tk * s.tm + s.tk * s.tn) * 4;
      return bytes <= limits.maxComputeWorkgroupStorageSize ? undefined : `tiles need ${bytes} B of workgroup storage, over ${limits.maxComputeWorkgroupStorageSize}`;
    }
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** A short name for a schedule, used in the template label (`matmul-t64x64x16-r4x4-v4`). */
export function scheduleLabel(s: GemmSchedule): string {
  switch (s.kind) {
    case 'simple':
      return `simple-w${s.workgroup}`;
    case 'splitk':
      return `splitk-w${s.workgroup}`;
    case 'tiled':
      return `t${s.tm}x${s.tn}x${s.tk}-r${s.rm}x${s.rn}${s.vec4 ? '-v4' : ''}`;
    default: {
      const never: never = s;
      return never;
    }
  }
}

/**
 * Tiled candidates for a tuner: square and oblong tiles of 16–128, TK 8–64, register blocks
 * 4×4 to 32×32, with and without vec4 loads, keeping only those legal on `limits` and using at
 * least 16 invocations (fewer leave a workgroup mostly idle). Deep K steps pay where barriers
 * are dear (llvmpipe runs a workgroup's invocations as coroutines that switch at each barrier).
 */
export function tiledCandidates(limits: DeviceLimits): TiledGemmSchedule[] {
  const out: TiledGemmSchedule[] = [];
  for (const tm of [16, 32, 64, 128])
    for (const tn of [16, 32, 64, 128])
      for (const tk of [8, 16, 32, 64])
        for (const rm of [4, 8, 16, 32])
          for (const rn of [4, 8, 16, 32])
            for (const vec4 of [true, false]) {
              const s: TiledGemmSchedule = { kind: 'tiled', tm, tn, tk, rm, rn, vec4 };
              if (gemmScheduleProblem(s, limits) === undefined && tiledThreads(s) >= 16) out.push(s);
            }
  return out;
}
