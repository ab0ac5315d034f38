// elementAt: a checked read for indexes an invariant guarantees; a miss is an internal error
// naming what was read, not a silent default.
import { describe, expect, it } from 'vitest';
import { KilnError, elementAt, expectLengths, mapGet } from '../src/index.js';
import { copyStrided } from '../src/eval/strided.js';

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

describe('mapGet', () => {
  it('returns the entry, including falsy ones', () => {
    expect(mapGet(new Map([[1, 0]]), 1, 'use counts')).toBe(0);
  });

  it('throws an internal KilnError naming the map and the missing key', () => {
    expect(() => mapGet(new Map<number, number>(), 7, 'value types')).toThrow(KilnError);
    expect(() => mapGet(new Map<number, number>(), 7, 'value types')).toThrow(/internal: value types has no entry for 7/);
  });
});

describe('expectLengths', () => {
  it('accepts lists of the expected length, including typed arrays', () => {
    expect(() => expectLengths(2, 'conv', { stride: [1, 1], index: new Int32Array(2) })).not.toThrow();
  });

  it('throws an internal KilnError naming the list whose length is wrong', () => {
    expect(() => expectLengths(2, 'conv', { stride: [1, 1], padding: [[0, 0]] })).toThrow(/internal: conv: padding has 1 entries, expected 2/);
  });
});

describe('strided copies check their per-dim lists once', () => {
  it('copyStrided copies a transposed view, and rejects strides that do not match the shape', () => {
    const dst = new Float32Array(6);
    copyStrided(Float32Array.of(1, 2, 3, 4, 5, 6), 0, [1, 3], dst, 0, [2, 1], [3, 2]);
    expect(Array.from(dst)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => copyStrided(new Float32Array(6), 0, [1], dst, 0, [2, 1], [3, 2])).toThrow(/internal: copyStrided: srcStrides has 1 entries, expected 2/);
  });
});
