// Fuzzer generators for layout ops with valid random attributes: reshapes through random
// factorizations, permutations, broadcasts that insert and expand dims, slices, pads, concats.

import { numel, type Shape, type TensorType, type ValueId } from '@kiln/ir';
import type { GenContext } from './gen-context.js';
import type { Gen } from './gen-elementwise.js';

function anyValue(c: GenContext, minRank = 0): ValueId {
  return c.value(
    (t) => t.shape.length >= minRank,
    () => ({ dtype: c.dtype(), shape: c.shape({ minRank }) }),
  );
}

function primeFactors(n: number): number[] {
  const fs: number[] = [];
  for (let p = 2; p * p <= n; p++)
    while (n % p === 0) {
      fs.push(p);
      n /= p;
    }
  if (n > 1) fs.push(n);
  return fs;
}

/** A random shape with the same number of elements as `shape`. */
export function reshapeTarget(c: GenContext, shape: Shape): number[] {
  const n = numel(shape);
  const rank = c.rng.int(0, 3);
  if (n === 0) {
    const out = Array.from({ length: Math.max(rank, 1) }, () => c.rng.int(1, 3));
    out[c.rng.int(0, out.length - 1)] = 0;
    return out;
  }
  const out = Array.from({ length: rank }, () => 1);
  if (rank === 0) return n === 1 ? [] : [n];
  for (const f of primeFactors(n)) {
    const i = c.rng.int(0, rank - 1);
    out[i] = out[i]! * f;
  }
  return out;
}

export const genReshape: Gen = (c) => {
  const x = anyValue(c);
  return c.node('reshape', [x], { shape: reshapeTarget(c, c.typeOf(x).shape) });
};

export const genTranspose: Gen = (c) => {
  const x = anyValue(c);
  const r = c.typeOf(x).shape.length;
  return c.node('transpose', [x], { perm: c.rng.shuffle(Array.from({ length: r }, (_, i) => i)) });
};

export const genBroadcast: Gen = (c) => {
  const x = c.value(
    (t) => t.shape.length <= 3,
    () => ({ dtype: c.dtype(), shape: c.shape() }),
  );
  const from = c.typeOf(x).shape;
  const target: number[] = [];
  const dims: number[] = [];
  const extra = c.rng.int(0, Math.min(2, 4 - from.length));
  const slots = c.rng.shuffle([...from.map((_, i) => i), ...Array.from({ length: extra }, () => -1)]);
  // Keep the operand dims in order: fill slots left to right, operand dims taking the next index.
  let next = 0;
  for (const s of slots) {
    if (s < 0) target.push(c.rng.pick([1, 2, 3]));
    else {
      const d = from[next++]!;
      dims.push(target.length);
      target.push(d === 1 && c.rng.chance(0.6) ? c.rng.pick([2, 3, 0]) : d);
    }
  }
  return c.node('broadcast', [x], { dims, shape: target });
};

export const genSlice: Gen = (c) => {
  const x = anyValue(c);
  const shape = c.typeOf(x).shape;
  const full = c.rng.chance(0.25);
  const start: number[] = [];
  const limit: number[] = [];
  const stride: number[] = [];
  for (const d of shape) {
    const s = full ? 0 : c.rng.int(0, d);
    start.push(s);
    limit.push(full ? d : c.rng.int(s, d));
    stride.push(full ? 1 : c.rng.int(1, 3));
  }
  return c.node('slice', [x], { start, limit, stride });
};

export const genPad: Gen = (c) => {
  const x = anyValue(c);
  const t: TensorType = c.typeOf(x);
  const low: number[] = [];
  const high: number[] = [];
  const interior: number[] = [];
  for (const d of t.shape) {
    let lo = c.rng.int(-1, 2);
    let hi = c.rng.int(-1, 2);
    const inner = c.rng.int(0, 1);
    if (lo + hi + d + Math.max(d - 1, 0) * inner < 0 || (d === 0 && (lo < 0 || hi < 0))) lo = hi = 0;
    low.push(lo);
    high.push(hi);
    interior.push(inner);
  }
  return c.node('pad', [x], { low, high, interior, value: c.constantValue(t.dtype) });
};

export const genConcat: Gen = (c) => {
  const x = anyValue(c, 1);
  const t = c.typeOf(x);
  const axis = c.rng.int(0, t.shape.length - 1);
  const fits = (u: TensorType): boolean => u.dtype === t.dtype && u.shape.length === t.shape.length && u.shape.every((d, i) => i === axis || d === t.shape[i]);
  const operands = [x];
  const more = c.rng.int(0, 2);
  for (let k = 0; k < more; k++) {
    const reuse = c.rng.chance(0.5) ? c.pick(fits) : undefined;
    operands.push(reuse ?? c.input({ dtype: t.dtype, shape: t.shape.map((d, i) => (i === axis ? c.rng.int(0, 3) : d)) }));
  }
  return c.node('concat', operands, { axis });
};
