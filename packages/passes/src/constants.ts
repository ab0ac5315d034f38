// Reading constant values, shared by CSE (keys), constant folding and simplification: the value a
// `constant` node stores per element (converted as the interpreter's typed-array store does).

import { convertScalar, formatNumber, numel, type DType, type Node } from '@kiln/ir';

/**
 * One element as stored for `dtype`: ints wrap/clamp and bool is 0/1 as in the interpreter; f32
 * keeps the attribute's double, since the f64 interpreter mode does not round it.
 */
export function storedValue(dtype: DType, v: number): number {
  return dtype === 'f32' ? v : convertScalar(dtype, v);
}

/** Bitwise-identical numbers, NaN equal to NaN, and -0 distinct from +0. */
export function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b);
}

/**
 * The single stored value of a constant whose elements are all identical (undefined otherwise,
 * and for constants with no elements, which have no value to substitute).
 */
export function constantSplat(n: Node): number | undefined {
  if (n.op !== 'constant') return undefined;
  if (numel(n.type.shape) === 0) return undefined;
  const v = n.attrs.value;
  if (typeof v === 'number') return storedValue(n.type.dtype, v);
  const first = v[0];
  if (first === undefined) return undefined;
  const s = storedValue(n.type.dtype, first);
  for (const x of v) if (!sameNumber(storedValue(n.type.dtype, x), s)) return undefined;
  return s;
}

/** All stored element values of a constant (row-major). */
export function constantElements(n: Node): number[] {
  if (n.op !== 'constant') return [];
  const v = n.attrs.value;
  const count = numel(n.type.shape);
  if (typeof v === 'number') return new Array<number>(count).fill(storedValue(n.type.dtype, v));
  return v.map((x) => storedValue(n.type.dtype, x));
}

/** A canonical text key of a constant's stored value: equal keys mean equal tensors of that type. */
export function constantKey(n: Node): string {
  const splat = constantSplat(n);
  if (splat !== undefined) return formatNumber(splat);
  return `[${constantElements(n).map(formatNumber).join(',')}]`;
}

/** The attribute value for a constant holding `values`: a scalar when they are all identical. */
export function constantValueAttr(values: ArrayLike<number>): number | number[] {
  const first = values[0];
  if (first === undefined) return [];
  for (let i = 1; i < values.length; i++) if (!sameNumber(values[i]!, first)) return Array.from(values);
  return first;
}
