// Offline placement (memory planning): blocks whose lifetimes overlap never share bytes, the peak
// never beats the live-set lower bound, and on a pattern that fragments the online arena it is exact.

import { describe, expect, it } from 'vitest';
import { placeOffline, type Lifetime } from '../src/memory/offline-arena.js';
import { Lcg32 } from '@kiln/ir';

function lowerBound(values: readonly Lifetime[]): number {
  const steps = Math.max(0, ...values.map((v) => v.end + 1));
  let best = 0;
  for (let t = 0; t < steps; t++) best = Math.max(best, values.filter((v) => v.start <= t && t <= v.end).reduce((a, v) => a + v.size, 0));
  return best;
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
      const { offsets, peak } = placeOffline(values);
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
    const { peak } = placeOffline(values);
    expect(peak).toBe(lowerBound(values));
  });
});
