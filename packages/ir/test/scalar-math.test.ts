// The scalar semantics the CPU oracle, constant folding and codegen constants share:
// C99 Annex F pow and erf at their special values, against the standard's tables.

import { describe, expect, it } from 'vitest';
import { erf, powC99 } from '../src/scalar-math.js';

describe('powC99 (C99 F.10.4.4)', () => {
  it.each([
    [1, NaN, 1],
    [1, Infinity, 1],
    [1, -Infinity, 1],
    [-1, Infinity, 1],
    [-1, -Infinity, 1],
    [NaN, 0, 1],
    [NaN, -0, 1],
    [-Infinity, 0.5, Infinity],
    [-Infinity, 3, -Infinity],
    [-Infinity, -3, -0],
    [-Infinity, -0.5, 0],
    [-0, -3, -Infinity],
    [-0, -2, Infinity],
    [-0, 3, -0],
    [0.5, -Infinity, Infinity],
    [2, -Infinity, 0],
    [-2, 0.5, NaN],
    [NaN, 1, NaN],
  ])('pow(%s, %s) = %s', (x, y, want) => {
    expect(Object.is(powC99(x, y), want)).toBe(true);
  });
});

describe('erf at its special values', () => {
  it('is ±1 at ±Inf, keeps the sign of zero and NaN', () => {
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(erf(NaN)).toBeNaN();
    expect(erf(10)).toBe(1);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
  });
});
