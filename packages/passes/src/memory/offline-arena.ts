// Memory planning, offline placement: all transient lifetimes are known before the run, so blocks
// are placed largest first, each at the lowest offset clear of every placed block whose lifetime
// overlaps its own (greedy by size). Placed blocks are bucketed by schedule chunk, so a block only
// looks at blocks live near its own lifetime: near-linear when live sets are small.

export interface Lifetime {
  /** Schedule index of the node defining the value. */
  readonly start: number;
  /** Schedule index of its last reader (inclusive; equal to start when nothing reads it). */
  readonly end: number;
  readonly size: number;
}

export interface Placement {
  readonly offsets: readonly number[];
  readonly peak: number;
}

/** Schedule steps per bucket of placed blocks. */
const CHUNK_SHIFT = 6;

/**
 * Greedy-by-size placement. `maxWork` bounds the candidate blocks examined in all (dense overlap
 * makes the search quadratic); past it the search stops and returns undefined, so the caller can
 * fall back to the online arena instead of stalling compilation.
 */
/** Work budget plan-memory grants per transient before falling back to the online arena. */
export const OFFLINE_WORK_PER_VALUE = 1024;

export function placeOffline(values: readonly Lifetime[], maxWork = Infinity): Placement | undefined {
  const order = values.map((_, i) => i).filter((i) => values[i]!.size > 0);
  order.sort((a, b) => values[b]!.size - values[a]!.size || values[a]!.start - values[b]!.start || a - b);
  const offsets = values.map(() => 0);
  let lastStep = 0;
  for (const v of values) lastStep = Math.max(lastStep, v.end);
  const chunks = (lastStep >> CHUNK_SHIFT) + 1;
  /** Per schedule chunk: the placed blocks whose lifetime touches it. */
  const buckets: number[][] = Array.from({ length: chunks }, () => []);
  /** Which value last collected a block as a candidate (dedups blocks spanning several chunks). */
  const seenBy = new Int32Array(values.length).fill(-1);
  let work = 0;
  let peak = 0;
  const overlapping: number[] = [];
  for (const i of order) {
    const me = values[i]!;
    const first = me.start >> CHUNK_SHIFT;
    const last = me.end >> CHUNK_SHIFT;
    overlapping.length = 0;
    for (let c = first; c <= last; c++) {
      const bucket = buckets[c]!;
      work += bucket.length;
      for (const p of bucket) {
        if (seenBy[p] === i) continue;
        seenBy[p] = i;
        const other = values[p]!;
        if (other.end < me.start || me.end < other.start) continue;
        overlapping.push(p);
      }
    }
    if (work > maxWork) return undefined;
    // Lowest offset below which no overlapping block intrudes: scan them by offset.
    overlapping.sort((a, b) => offsets[a]! - offsets[b]!);
    let offset = 0;
    for (const p of overlapping) {
      if (offsets[p]! >= offset + me.size) break;
      offset = Math.max(offset, offsets[p]! + values[p]!.size);
    }
    offsets[i] = offset;
    for (let c = first; c <= last; c++) buckets[c]!.push(i);
    peak = Math.max(peak, offset + me.size);
  }
  return { offsets, peak };
}
