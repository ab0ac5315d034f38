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

const tile = (tm: number, tn: number, tk: number, rm: number, rn: number): TiledGemmSchedule => ({ kind: 'tiled', tm, tn, tk, rm, rn, vec4: true });

/**
 * Quick GEMM tiles: the shapes that won on llvmpipe in W1/W4 tuning (bench/profile-step.ts) —
 * vec4 loads, deep K steps (32–64: fewer barriers), 8×8 to 16×8 blocks, 32–128 tiles — kept few
 * so a quick tune of a training step's eight GEMM signatures takes a minute or two.
 */
const QUICK_GEMM_TILES: readonly TiledGemmSchedule[] = [
  tile(64, 64, 32, 8, 8),
  tile(64, 64, 64, 8, 8),
  tile(32, 64, 32, 8, 8),
  tile(64, 32, 32, 8, 8),
  tile(64, 128, 32, 8, 8),
  tile(128, 64, 32, 8, 8),
  tile(128, 128, 32, 8, 8),
  tile(64, 64, 32, 16, 8),
  tile(128, 64, 32, 16, 8),
  tile(64, 128, 32, 8, 16),
  tile(128, 32, 32, 8, 8),
  tile(32, 128, 32, 8, 8),
];

/** Candidate schedules for a GEMM of result width `n`: the named variants, then tiled ones. */
export function gemmCandidates(mode: 'quick' | 'full', n: number, limits: DeviceLimits): GemmSchedule[] {
  return distinctLegal([...NAMED.map((v) => variantSchedule(v, n, limits)), ...(mode === 'full' ? tiledCandidates(limits) : QUICK_GEMM_TILES)], limits);
}

/**
 * Implicit-GEMM conv tiles: M (output positions) is long and N (output channels per group) short,
 * so tall tiles no wider than N's power of two (at most 64), deep K steps (taps × channels) and
 * 8–16 rows per invocation (row addressing is decoded once per row); 'full' adds narrower tiles,
 * TK 8 and 4-row blocks, and scalar loads.
 */
export function convCandidates(mode: 'quick' | 'full', n: number, limits: DeviceLimits): GemmSchedule[] {
  const widest = Math.max(4, Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
  const tiles: TiledGemmSchedule[] = [];
  const widths = mode === 'full' ? [8, 16, 32, 64].filter((t) => t <= widest) : [widest];
  for (const tm of [32, 64, 128, 256])
    for (const tn of widths)
      for (const tk of mode === 'full' ? [8, 16, 32, 64] : [16, 32, 64])
        for (const rm of mode === 'full' ? [4, 8, 16] : [8, 16])
          for (const rn of mode === 'full' ? [4, 8] : [Math.min(8, tn)])
            for (const vec4 of mode === 'full' ? [true, false] : [true]) {
              const threads = (tm / rm) * (tn / rn);
              // Fewer than 16 invocations leave a workgroup mostly idle; quick keeps 16–64 of them.
              if (tm % rm === 0 && tn % rn === 0 && threads >= 16 && (mode === 'full' || (threads <= 64 && tm >= 64))) tiles.push({ kind: 'tiled', tm, tn, tk, rm, rn, vec4 });
            }
  return distinctLegal([...NAMED.map((v) => variantSchedule(v, n, limits)), ...tiles], limits);
}

export const CANDIDATE_SOURCES: Readonly<Record<TunableClass, CandidateSource>> = {
  gemm: (mode, sig, limits) => gemmCandidates(mode, sig.n, limits),
  conv: (mode, sig, limits) => convCandidates(mode, sig.n, limits),
};
