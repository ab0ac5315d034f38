// Offline placement (memory planning): blocks whose lifetimes overlap never share bytes, the peak
// never beats the live-set lower bound, on a pattern that fragments the online arena it is exact,
// and the bucketed search places exactly as the plain scan over every placed block does.

import { describe, expect, it } from 'vitest';
import { placeOffline, type Lifetime } from '../src/memory/offline-arena.js';
import { Lcg32 } from '@kiln/ir';

function lowerBound(values: readonly Lifetime[]): number {
  const steps = Math.max(0, ...values.map((v) => v.end + 1));
  let best = 0;
  for (let t = 0; t < steps; t++)
    best = Math.max(
      best,
      values.filter((v) => v.start <= t && t <= v.end).reduce((a, v) => a + v.size, 0),
    );
  return best;
}

/** The plain greedy-by-size search (scans every placed block, sorted by offset): the reference. */
function placeByFullScan(values: readonly Lifetime[]): number[] {
  const order = values.map((_, i) => i).filter((i) => values[i]!.size > 0);
  order.sort((a, b) => values[b]!.size - values[a]!.size || values[a]!.start - values[b]!.start || a - b);
  const offsets = values.map(() => 0);
  const placed: { offset: number; end: number; v: number }[] = [];
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
    let at = placed.length;
    while (at > 0 && placed[at - 1]!.offset > offset) at--;
    placed.splice(at, 0, { offset, end: offset + me.size, v: i });
  }
  return offsets;
}

function place(values: readonly Lifetime[]): { offsets: readonly number[]; peak: number } {
  const placement = placeOffline(values);
  if (placement === undefined) throw new Error('placeOffline gave up without a work budget');
  return placement;
}

function rng(seed: number): () => number {
  const lcg = new Lcg32(seed);
  return () => lcg.float();
}

describe('placeOffline', () => {
  it('never overlaps live blocks and never beats the lower bound (200 random schedules)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const n = 1 + Math.floor(r() * 30);
      const values: Lifetime[] = Array.from({ length: n }, (_, i) => {
        const start = i;
        return { start, end: start + Math.floor(r() * 6), size: 256 * (1 + Math.floor(r() * 8)) };
      });
      const { offsets, peak } = place(values);
      for (let a = 0; a < n; a++)
        for (let b = a + 1; b < n; b++) {
          const [va, vb] = [values[a]!, values[b]!];
          const timeOverlap = va.start <= vb.end && vb.start <= va.end;
          const memOverlap = offsets[a]! < offsets[b]! + vb.size && offsets[b]! < offsets[a]! + va.size;
          expect(timeOverlap && memOverlap, `seed ${seed}: values ${a} and ${b} collide`).toBe(false);
        }
      expect(peak, `seed ${seed}`).toBeGreaterThanOrEqual(lowerBound(values));
      expect(peak).toBe(Math.max(0, ...values.map((v, i) => offsets[i]! + v.size)));
    }
  });

  it('places a growing chain of blocks exactly at the lower bound', () => {
    // Live sets: t0 {a,b} 512 B, t1 {b,c} 768 B, t2 {c,d} 1024 B, t3 {d} 512 B: the bound is 1024 B.
    const values: Lifetime[] = [
      { start: 0, end: 0, size: 256 },
      { start: 0, end: 1, size: 256 },
      { start: 1, end: 2, size: 512 },
      { start: 2, end: 3, size: 512 },
    ];
    const { peak } = place(values);
    expect(peak).toBe(lowerBound(values));
  });

  it('places exactly as the full scan on long schedules with short and long lifetimes (30 seeds)', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const r = rng(seed * 7919);
      const n = 200 + Math.floor(r() * 800);
      const values: Lifetime[] = Array.from({ length: n }, (_, i) => {
        // Mostly short lifetimes, some spanning hundreds of steps (several buckets), some empty.
        const span = r() < 0.1 ? Math.floor(r() * 400) : Math.floor(r() * 5);
        const size = r() < 0.05 ? 0 : 256 * (1 + Math.floor(r() * 6));
        return { start: i, end: i + span, size };
      });
      expect(place(values).offsets, `seed ${seed}`).toEqual(placeByFullScan(values));
    }
  });

  it('gives up (undefined) when the search exceeds its work budget', () => {
    // Every block is live at once: each one examines all the blocks placed before it.
    const values: Lifetime[] = Array.from({ length: 100 }, () => ({ start: 0, end: 10, size: 256 }));
    expect(placeOffline(values, 1000)).toBeUndefined();
    expect(placeOffline(values, 100 * 100)?.peak).toBe(100 * 256);
  });
});
