// Where the tuner's candidates come from: one source per tunable kernel class (a total table keyed
// by TunableClass), each giving the schedules worth timing for a signature in 'quick' or 'full'
// mode, every one legal on the device's limits. A new kernel class adds a row here.

import { gemmScheduleProblem, scheduleLabel, tiledCandidates, variantSchedule, type DeviceLimits, type GemmSchedule, type GemmVariant, type TiledGemmSchedule } from '@kiln/codegen-wgsl';
import type { KernelSignature, TunableClass } from './signature.js';

export type CandidateSource = (mode: 'quick' | 'full', sig: KernelSignature, limits: DeviceLimits) => GemmSchedule[];

const NAMED: readonly GemmVariant[] = ['tiled32', 'tiled64', 'tall', 'narrow', 'splitk', 'simple'];

/** The schedules in order, legal ones only, each label once. */
function distinctLegal(schedules: Iterable<GemmSchedule>, limits: DeviceLimits): GemmSchedule[] {
  const seen = new Set<string>();
  const out: GemmSchedule[] = [];
  for (const s of schedules) {
    const label = scheduleLabel(s);
    if (seen.has(label) || gemmScheduleProblem(s, limits) !== undefined) continue;
    seen.add(label);
    out.push(s);
  }
  return out;
}

/**
 * Quick GEMM tiles: the shapes that won on llvmpipe and hardware alike in bench/tune-gemm.ts —
 * vec4 loads, TK 16 (and 32 for long K), 32–64 tiles with 4×4 or 8×8 blocks, 128-wide with 8×8.
 */
function quickGemmTiles(limits: DeviceLimits): TiledGemmSchedule[] {
  const pick = (s: TiledGemmSchedule): boolean =>
    s.vec4 && (s.tk === 16 || (s.tk === 32 && s.rm === 8 && s.rn === 8)) && s.tm >= 32 && s.tn >= 32 && s.tm <= 128 && s.tn <= 128 && (s.tm <= 64 && s.tn <= 64 ? true : s.rm === 8 && s.rn === 8);
  return tiledCandidates(limits).filter(pick);
}

/** Candidate schedules for a GEMM of result width `n`: the named variants, then tiled ones. */
export function gemmCandidates(mode: 'quick' | 'full', n: number, limits: DeviceLimits): GemmSchedule[] {
  return distinctLegal([...NAMED.map((v) => variantSchedule(v, n, limits)), ...(mode === 'full' ? tiledCandidates(limits) : quickGemmTiles(limits))], limits);
}

/**
 * Implicit-GEMM conv tiles: M (output positions) is long and N (output channels per group) short,
 * so tall tiles no wider than N's power of two, deep K steps (taps × channels), 4–16 rows per
 * invocation; 'full' adds TK 8 and scalar loads.
 */
export function convCandidates(mode: 'quick' | 'full', n: number, limits: DeviceLimits): GemmSchedule[] {
  const widest = Math.max(4, Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
  const tiles: TiledGemmSchedule[] = [];
  for (const tm of [32, 64, 128, 256])
    for (const tn of [8, 16, 32, 64].filter((t) => t <= widest))
      for (const tk of mode === 'full' ? [8, 16, 32] : [16, 32])
        for (const rm of [4, 8, 16])
          for (const rn of [4, 8])
            for (const vec4 of mode === 'full' ? [true, false] : [true]) {
              const s: TiledGemmSchedule = { kind: 'tiled', tm, tn, tk, rm, rn, vec4 };
              const threads = (tm / rm) * (tn / rn);
              // Fewer than 16 invocations leave a workgroup mostly idle; quick keeps 32–128.
              if (tm % rm === 0 && tn % rn === 0 && threads >= (mode === 'quick' ? 32 : 16) && (mode === 'full' || threads <= 128)) tiles.push(s);
            }
  return distinctLegal([...NAMED.map((v) => variantSchedule(v, n, limits)), ...tiles], limits);
}

export const CANDIDATE_SOURCES: Readonly<Record<TunableClass, CandidateSource>> = {
  gemm: (mode, sig, limits) => gemmCandidates(mode, sig.n, limits),
  conv: (mode, sig, limits) => convCandidates(mode, sig.n, limits),
};
