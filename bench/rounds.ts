// Benchmarks: interleaved rounds and the roofline. Every library runs once per round (kiln, tfjs,
// jax-js, reference, kiln, …), so a load change on a shared machine lands on all of them; per
// case Kiln's ratio to the best peer is taken within each round, and the median of those ratios
// is reported with its spread. Also each result as a fraction of the measured roofline.

import { PEERS, type Roofline, type WorkloadResult } from './protocol.js';
import { flops, higherIsBetter } from './workloads.js';

const caseKey = (r: WorkloadResult): string => `${r.workload}|${r.case}`;

/** Ratio spread (max/min) above which the magnitude of a ratio is not trusted. */
export const WIDE_SPREAD = 1.5;

export interface CaseRatio {
  readonly workload: WorkloadResult['workload'];
  readonly case: string;
  /** Against the better peer of each round, or Kiln's own reference row. */
  readonly against: 'best peer' | 'reference';
  /** Per round, how many times better Kiln is (> 1: Kiln ahead), rounds where both ran. */
  readonly perRound: readonly number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly verdict: string;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** How many times better `a` is than `b` on their metric (> 1: a is better). */
function advantage(a: WorkloadResult, b: WorkloadResult): number | undefined {
  if (a.value === undefined || b.value === undefined || a.metric === undefined || a.error !== undefined || b.error !== undefined) return undefined;
  return higherIsBetter(a.metric) ? a.value / b.value : b.value / a.value;
}

function verdictOf(min: number, max: number, rounds: number): string {
  if (rounds < 2) return 'one round: no spread, cannot conclude';
  const side = min > 1 ? 'kiln ahead in every round' : max < 1 ? 'kiln behind in every round' : 'spread straddles 1: too wide to conclude';
  return max / min > WIDE_SPREAD && (min > 1 || max < 1) ? `${side} (spread ${(max / min).toFixed(2)}x: magnitude uncertain)` : side;
}

/** Per case: Kiln vs the best peer and vs the reference row, round by round. */
export function roundRatios(rounds: readonly (readonly WorkloadResult[])[]): CaseRatio[] {
  const cases = new Map<string, WorkloadResult>();
  for (const round of rounds) for (const r of round) if (r.library === 'kiln' && !cases.has(caseKey(r))) cases.set(caseKey(r), r);
  const out: CaseRatio[] = [];
  for (const [key, first] of cases) {
    for (const against of ['best peer', 'reference'] as const) {
      const perRound: number[] = [];
      for (const round of rounds) {
        const here = round.filter((r) => caseKey(r) === key);
        const kiln = here.find((r) => r.library === 'kiln');
        const others = here.filter((r) => (against === 'reference' ? r.library === 'reference' : PEERS.includes(r.library)));
        if (kiln === undefined) continue;
        // The best peer is the one Kiln has the least advantage over.
        const ratios = others.map((o) => advantage(kiln, o)).filter((x): x is number => x !== undefined && Number.isFinite(x));
        if (ratios.length > 0) perRound.push(Math.min(...ratios));
      }
      if (perRound.length === 0) continue;
      const min = Math.min(...perRound);
      const max = Math.max(...perRound);
      out.push({ workload: first.workload, case: first.case, against, perRound, median: median(perRound), min, max, verdict: verdictOf(min, max, perRound.length) });
    }
  }
  return out;
}

/**
 * One result per library and case across rounds: the round with the median value (lower median
 * for an even count), annotated with every round's value; a case that failed in every round
 * keeps its first error.
 */
export function mergeRounds(rounds: readonly (readonly WorkloadResult[])[]): WorkloadResult[] {
  const groups = new Map<string, WorkloadResult[]>();
  for (const round of rounds)
    for (const r of round) {
      const key = `${caseKey(r)}|${r.library}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
  const out: WorkloadResult[] = [];
  for (const group of groups.values()) {
    const ok = group.filter((r) => r.error === undefined && r.value !== undefined);
    if (ok.length === 0) {
      out.push(group[0]!);
      continue;
    }
    const mid = [...ok].sort((a, b) => a.value! - b.value!)[(ok.length - 1) >> 1]!;
    const failed = group.length - ok.length;
    const notes = [...(mid.notes ?? []), `rounds: ${ok.map((r) => r.value!.toPrecision(3)).join(', ')}${failed > 0 ? ` (${failed} failed)` : ''}`];
    out.push({ ...mid, notes });
  }
  return out;
}

/** The median roofline over the rounds that measured one. */
export function mergeRooflines(rooflines: readonly Roofline[]): Roofline | undefined {
  if (rooflines.length === 0) return undefined;
  return { ...rooflines[0]!, copy_gbps: median(rooflines.map((r) => r.copy_gbps)), fma_gflops: median(rooflines.map((r) => r.fma_gflops)) };
}

/**
 * A result as a fraction of the roofline: GFLOP/s of the FMA peak, GB/s of the copy bandwidth,
 * and for W4 the FMA-bound time of its FLOPs over the measured time.
 */
export function rooflineFraction(r: WorkloadResult, roof: Roofline): number | undefined {
  if (r.error !== undefined || r.value === undefined || r.median_ms === undefined) return undefined;
  switch (r.metric) {
    case 'GFLOP/s':
      return r.value / roof.fma_gflops;
    case 'GB/s':
      return r.value / roof.copy_gbps;
    case 'ms/step':
      return flops(r.params) / (roof.fma_gflops * 1e6) / r.median_ms;
    case undefined:
      return undefined;
    default: {
      const never: never = r.metric;
      return never;
    }
  }
}
