// Where the tuner's candidates come from: one source per tunable kernel class (a total table keyed
// by TunableClass), each giving the schedules worth timing for a signature in 'quick' or 'full'
// mode, every one legal on the device's limits. A new kernel class adds a row here.

import {
  gemmScheduleProblem,
  scheduleLabel,
  tiledCandidates,
  variantSchedule,
  type DeviceLimits,
  type GemmSchedule,
  type GemmVariant,
  type KernelSchedule,
  type TiledGemmSchedule,
} from '@kiln/codegen-wgsl';
import { elementwiseTuneCandidates } from './elementwise-candidates.js';
import type { KernelSignature, TunableClass } from './signature.js';

export type CandidateSource = (mode: 'quick' | 'full', sig: KernelSignature, limits: DeviceLimits) => KernelSchedule[];

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
 * Quick GEMM tiles: the shapes that won W1/W4 tuning on llvmpipe (bench/tune-gemm.ts) — vec4
 * loads, big register blocks (16×16 to 32×32: each workgroup-memory read, a gather there, feeds
 * more FMAs), K steps of 16–32 — with 8×8 blocks for devices where big blocks spill, kept few so
 * a quick tune of a training step's eight GEMM signatures stays short.
 */
const QUICK_GEMM_TILES: readonly TiledGemmSchedule[] = [
  tile(128, 128, 32, 16, 16),
  tile(128, 128, 16, 16, 16),
  tile(128, 128, 32, 16, 32),
  tile(128, 128, 32, 32, 16),
  tile(128, 128, 16, 32, 32),
  tile(64, 128, 32, 16, 32),
  tile(64, 128, 16, 16, 16),
  tile(128, 64, 32, 16, 16),
  tile(64, 64, 32, 16, 16),
  tile(64, 64, 32, 8, 8),
  tile(64, 128, 32, 8, 8),
  tile(128, 128, 32, 8, 8),
];

/** Candidate schedules for a GEMM of result width `n`: the named variants, then tiled ones. */
export function gemmCandidates(mode: 'quick' | 'full', n: number, limits: DeviceLimits): GemmSchedule[] {
  return distinctLegal([...NAMED.map((v) => variantSchedule(v, n, limits)), ...(mode === 'full' ? tiledCandidates(limits) : QUICK_GEMM_TILES)], limits);
}

/**
 * Implicit-GEMM conv tiles: M (output positions) is long and N (output channels per group) short,
 * so tall tiles no wider than N's power of two (at most 64), K steps of 16–32 and 8–32 rows per
 * invocation (row addressing is decoded once per row, and big blocks feed more FMAs per tile
 * read); 'full' adds narrower tiles, TK 8 and 64, 4-wide blocks, and scalar loads.
 */
export function convCandidates(mode: 'quick' | 'full', n: number, limits: DeviceLimits): GemmSchedule[] {
  const widest = Math.max(4, Math.min(64, 2 ** Math.ceil(Math.log2(Math.max(1, n)))));
  const tiles: TiledGemmSchedule[] = [];
  const widths = mode === 'full' ? [8, 16, 32, 64].filter((t) => t <= widest) : [widest];
  const QUICK_BLOCKS = new Set(['8x8', '16x8', '16x16', '32x16']);
  for (const tm of mode === 'full' ? [32, 64, 128, 256] : [128, 256])
    for (const tn of widths)
      for (const tk of mode === 'full' ? [8, 16, 32, 64] : [16, 32])
        for (const rm of [4, 8, 16, 32])
          for (const rn of [4, 8, 16, 32])
            for (const vec4 of mode === 'full' ? [true, false] : [true]) {
              const threads = (tm / rm) * (tn / rn);
              // Under 8 invocations a workgroup is mostly idle; quick keeps blocks of 8×8 to
              // 32×16 (wide blocks win where tile reads are gathers) and at most 64 invocations.
              const quick = threads <= 64 && QUICK_BLOCKS.has(`${rm}x${rn}`);
              if (tm % rm === 0 && tn % rn === 0 && threads >= 8 && (mode === 'full' || quick)) tiles.push({ kind: 'tiled', tm, tn, tk, rm, rn, vec4 });
            }
  return distinctLegal([...NAMED.map((v) => variantSchedule(v, n, limits)), ...tiles], limits);
}

const pow2 = (d: number): number => 2 ** Math.ceil(Math.log2(Math.max(1, d)));

/**
 * Tiles no bigger than the problem's power-of-two class (at least 32): a taller or wider tile only
 * computes padding, and compiling it (big register blocks are long shaders) is time a quick tune
 * of a small kernel should not spend.
 */
function fitting(sig: KernelSignature, schedules: GemmSchedule[]): GemmSchedule[] {
  return schedules.filter((s) => s.kind !== 'tiled' || (s.tm <= Math.max(32, pow2(sig.m)) && s.tn <= Math.max(32, pow2(sig.n))));
}

export const CANDIDATE_SOURCES: Readonly<Record<TunableClass, CandidateSource>> = {
  gemm: (mode, sig, limits) => fitting(sig, gemmCandidates(mode, sig.n, limits)),
  conv: (mode, sig, limits) => fitting(sig, convCandidates(mode, sig.n, limits)),
  elementwise: (mode, _sig, limits) => elementwiseTuneCandidates(mode, limits),
};
