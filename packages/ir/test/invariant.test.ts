// elementAt: a checked read for indexes an invariant guarantees; a miss is an internal error
// naming what was read, not a silent default.
import { describe, expect, it } from 'vitest';
import { KilnError, elementAt } from '../src/index.js';

describe('elementAt', () => {
  it('returns the element, including falsy ones', () => {
    expect(elementAt([3, 0, 5], 1, 'shape')).toBe(0);
    expect(elementAt([3, 0, 5], 2, 'shape')).toBe(5);
  });

  it('throws an internal KilnError naming the list and index when out of range', () => {
    expect(() => elementAt([3], 1, 'lhs shape')).toThrow(KilnError);
    expect(() => elementAt([3], -1, 'lhs shape')).toThrow(/internal: lhs shape\[-1\] is out of range \(length 1\)/);
  });
});
