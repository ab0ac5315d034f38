// Memory planning, offline placement: all transient lifetimes are known before the run, so blocks
// are placed largest first, each at the lowest offset clear of every placed block whose lifetime
// overlaps its own (greedy by size). Quadratic in the transients; plan-memory falls back to the
// online best-fit arena for graphs too large for it.

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

/** Transient counts above this use the online allocator (the quadratic search would dominate compile time). */
export const OFFLINE_PLACEMENT_LIMIT = 20000;

export function placeOffline(values: readonly Lifetime[]): Placement {
  const order = values.map((_, i) => i).filter((i) => values[i]!.size > 0);
  order.sort((a, b) => values[b]!.size - values[a]!.size || values[a]!.start - values[b]!.start || a - b);
  const offsets = values.map(() => 0);
  /** Placed blocks, kept sorted by offset. */
  const placed: { offset: number; end: number; v: number }[] = [];
  let peak = 0;
  for (const i of order) {
    const me = values[i]!;
    let offset = 0;
    for (const p of placed) {
      const other = values[p.v]!;
      if (other.end < me.start || me.end < other.start) continue;
      if (p.offset >= offset + me.size) break;
      offset = Math.max(offset, p.end);
    }
    offsets[i] = offset;
    const block = { offset, end: offset + me.size, v: i };
    let at = placed.length;
    while (at > 0 && placed[at - 1]!.offset > offset) at--;
    placed.splice(at, 0, block);
    peak = Math.max(peak, block.end);
  }
  return { offsets, peak };
}
