// Window geometry shared by conv and the pooling ops: which operand element each (output
// position, window tap) pair reads, per dim, precomputed once per node as small tables.

import { expectLengths } from '../invariant.js';

/**
 * Operand index read by output position o and window tap t in one dim, or -1 where it falls on
 * padding or on a hole of the dilated operand. The position in the dilated, padded operand is
 * o·stride + t·tapDilation − padLow; it is a real element when divisible by operandDilation.
 */
export function tapTable(outSize: number, taps: number, inSize: number, stride: number, padLow: number, operandDilation = 1, tapDilation = 1): Int32Array {
  const table = new Int32Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    for (let t = 0; t < taps; t++) {
      const p = o * stride + t * tapDilation - padLow;
      const q = p / operandDilation;
      table[o * taps + t] = p >= 0 && p % operandDilation === 0 && q < inSize ? q : -1;
    }
  }
  return table;
}

/** Row-major decomposition of every flat index below numel(shape): entry i·rank + d is index d of i. */
export function indexTable(shape: readonly number[]): Int32Array {
  const rank = shape.length;
  let count = 1;
  for (const s of shape) count *= s;
  const table = new Int32Array(count * rank);
  for (let i = 0; i < count; i++) {
    let rest = i;
    for (let d = rank - 1; d >= 0; d--) {
      const size = shape[d]!; // d < rank
      const j = rest % size;
      rest = (rest - j) / size;
      table[i * rank + d] = j;
    }
  }
  return table;
}

/** Writes the row-major multi-index of flat `i` within `shape` into `into`. */
export function unflatten(i: number, shape: readonly number[], into: Int32Array): void {
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!; // d < rank
    const j = i % size;
    i = (i - j) / size;
    into[d] = j;
  }
}

/**
 * The window over an operand: per-dim tap tables plus, for every tap, its per-dim indices.
 * `offsetAt` gives the operand offset read by (output index, tap), or -1 for padding.
 */
export class WindowReader {
  private readonly tables: Int32Array[];
  private readonly taps: Int32Array;
  readonly tapCount: number;
  private readonly rank: number;

  constructor(
    outShape: readonly number[],
    private readonly window: readonly number[],
    inShape: readonly number[],
    private readonly inStrides: readonly number[],
    stride: readonly number[],
    padLow: readonly number[],
  ) {
    this.rank = window.length;
    expectLengths(this.rank, 'WindowReader', { outShape, inShape, inStrides, stride, padLow });
    this.tables = outShape.map((size, d) => tapTable(size, window[d]!, inShape[d]!, stride[d]!, padLow[d]!));
    this.taps = indexTable(window);
    this.tapCount = this.taps.length / Math.max(this.rank, 1);
    if (this.rank === 0) this.tapCount = 1;
  }

  offsetAt(outIndex: Int32Array, tap: number): number {
    let off = 0;
    for (let d = 0; d < this.rank; d++) {
      const idx = this.tables[d]![outIndex[d]! * this.window[d]! + this.taps[tap * this.rank + d]!]!;
      if (idx < 0) return -1;
      off += idx * this.inStrides[d]!;
    }
    return off;
  }
}
