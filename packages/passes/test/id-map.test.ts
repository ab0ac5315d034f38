// IdMap and IdSet, the array-backed maps and sets the passes key by value id, agree with Map and
// Set on a random sequence of operations (growing past their capacity), and refuse non-ids.

import { KilnError } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { IdMap, IdSet } from '../src/id-map.js';

/** A small deterministic PRNG (xorshift32), so a failure reproduces. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

describe('IdMap / IdSet', () => {
  it('behave as Map and Set over 5000 random set/delete/get operations, past their initial capacity', () => {
    const next = rng(17);
    const map = new IdMap<string>(8);
    const set = new IdSet(8);
    const refMap = new Map<number, string>();
    const refSet = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const id = Math.floor(next() * 3000);
      const op = next();
      if (op < 0.5) {
        map.set(id, `v${i}`);
        refMap.set(id, `v${i}`);
        set.add(id);
        refSet.add(id);
      } else if (op < 0.7) {
        expect(map.delete(id)).toBe(refMap.delete(id));
        expect(set.delete(id)).toBe(refSet.delete(id));
      }
      expect(map.get(id)).toBe(refMap.get(id));
      expect(map.has(id)).toBe(refMap.has(id));
      expect(set.has(id)).toBe(refSet.has(id));
    }
    expect(map.size).toBe(refMap.size);
    expect(set.size).toBe(refSet.size);
    expect(refSet.size).toBeGreaterThan(100);
    for (let id = 0; id < 3100; id++) {
      expect(map.get(id)).toBe(refMap.get(id));
      expect(set.has(id)).toBe(refSet.has(id));
    }
  });

  it('refuse what is not a value id, with an internal error', () => {
    for (const bad of [-1, 1.5, NaN, 2 ** 31]) {
      expect(() => new IdMap<number>().set(bad, 1)).toThrow(KilnError);
      expect(() => new IdSet().add(bad)).toThrow(/not a value id/);
    }
    expect(new IdMap<number>().get(-1)).toBeUndefined();
    expect(new IdSet().has(-1)).toBe(false);
  });
});
