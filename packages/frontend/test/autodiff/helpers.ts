// Test helpers for the frontend's autodiff tests (the graph-level autodiff tests and their case
// helpers live with autodiff in packages/passes/test/autodiff).

import { lcgUniforms } from '@kiln/ir';

/** Deterministic pseudo-random numbers in [lo, hi) (a small LCG). */
export function randoms(n: number, seed: number, lo = -1, hi = 1): number[] {
  return lcgUniforms(n, seed, lo, hi, { scrambleSeed: true });
}
