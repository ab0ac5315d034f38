// Strided iteration shared by the CPU eval rules: every layout op is one strided copy, and the
// reductions walk their operand row by row with a second (output) view advancing alongside.

import { expectLengths } from '../invariant.js';
import type { HostArray } from './host-tensor.js';

/**
 * Calls `row(a, b)` once per row of `shape` (every index of all dims but the last, row-major),
 * where a = offA + Σ idx[d]·stridesA[d] and likewise b; the callee walks the last dim itself.
 * Rank 0 gives one call; any zero-size dim gives none.
 */
export function forEachRow(shape: readonly number[], stridesA: readonly number[], offA: number, stridesB: readonly number[], offB: number, row: (a: number, b: number) => void): void {
  expectLengths(shape.length, 'forEachRow', { stridesA, stridesB });
  for (const d of shape) if (d === 0) return;
  const outer = shape.length - 1;
  if (outer <= 0) {
    row(offA, offB);
    return;
  }
  const idx = new Array<number>(outer).fill(0);
  let a = offA;
  let b = offB;
  for (;;) {
    row(a, b);
    let d = outer - 1;
    for (; d >= 0; d--) {
      // Lengths checked above; idx has one entry per outer dim.
      const sa = stridesA[d]!;
      const sb = stridesB[d]!;
      const size = shape[d]!;
      const i = idx[d]! + 1;
      if (i < size) {
        idx[d] = i;
        a += sa;
        b += sb;
        break;
      }
      idx[d] = 0;
      a -= sa * (size - 1);
      b -= sb * (size - 1);
    }
    if (d < 0) return;
  }
}

/** dst[dstOff + Σ idx·dstStrides] = src[srcOff + Σ idx·srcStrides] for every index of `shape`. */
export function copyStrided(
  src: HostArray,
  srcOff: number,
  srcStrides: readonly number[],
  dst: HostArray,
  dstOff: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  const last = shape.length - 1;
  expectLengths(shape.length, 'copyStrided', { srcStrides, dstStrides });
  const n = last < 0 ? 1 : shape[last]!;
  const ss = last < 0 ? 0 : srcStrides[last]!;
  const ds = last < 0 ? 0 : dstStrides[last]!;
  forEachRow(shape, srcStrides, srcOff, dstStrides, dstOff, (a, b) => {
    for (let i = 0; i < n; i++, a += ss, b += ds) dst[b] = src[a]!;
  });
}
