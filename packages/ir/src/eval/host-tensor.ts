// Host-side tensors: the values the CPU interpreter computes with and every backend returns.
// f32 mode stores f32 values in Float32Array (rounded on every store); f64 mode keeps them in
// Float64Array for gradient checks. i32/u32/bool always use Int32Array/Uint32Array/Uint8Array.

import type { DType } from '../dtype.js';
import { KilnError } from '../errors.js';
import { expectLengths } from '../invariant.js';
import { formatType, numel, type TensorType } from '../shape.js';

export type HostArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export interface HostTensor {
  readonly type: TensorType;
  readonly data: HostArray;
}

export type Precision = 'f32' | 'f64';

/** What callers may pass for a tensor: a HostTensor, its elements in row-major order, or one number (single-element tensors). */
export type HostInput = HostTensor | ArrayLike<number> | number;

/** A fresh zero-filled array of the kind that holds `dtype` under `precision`. */
export function allocateArray(dtype: DType, length: number, precision: Precision): HostArray {
  switch (dtype) {
    case 'f32':
      return precision === 'f64' ? new Float64Array(length) : new Float32Array(length);
    case 'i32':
      return new Int32Array(length);
    case 'u32':
      return new Uint32Array(length);
    case 'bool':
      return new Uint8Array(length);
    default: {
      const never: never = dtype;
      return never;
    }
  }
}

/** True when `data` is the array kind `allocateArray` would make for this dtype and precision. */
export function hasArrayKind(data: HostArray, dtype: DType, precision: Precision): boolean {
  switch (dtype) {
    case 'f32':
      return precision === 'f64' ? data instanceof Float64Array : data instanceof Float32Array;
    case 'i32':
      return data instanceof Int32Array;
    case 'u32':
      return data instanceof Uint32Array;
    case 'bool':
      return data instanceof Uint8Array;
    default: {
      const never: never = dtype;
      return never;
    }
  }
}

export function zeros(type: TensorType, precision: Precision = 'f32'): HostTensor {
  return { type: copyType(type), data: allocateArray(type.dtype, numel(type.shape), precision) };
}

/**
 * A tensor of `type` holding `data` (row-major). Values are converted the way a store of that
 * dtype converts them: f32 rounds (f32 mode), ints truncate/wrap, bool is x != 0.
 */
export function hostTensor(type: TensorType, data: ArrayLike<number>, precision: Precision = 'f32'): HostTensor {
  const n = numel(type.shape);
  if (data.length !== n) throw new KilnError({ message: `${formatType(type)} needs ${n} element(s), got ${data.length}` });
  const out = allocateArray(type.dtype, n, precision);
  storeConverted(out, type.dtype, data);
  return { type: copyType(type), data: out };
}

/**
 * Copies `src` into `out`, converting to `dtype`: bool tests != 0, ints from floats truncate
 * toward zero and clamp (NaN → 0) so that out-of-range floats do not wrap as typed arrays would.
 */
export function storeConverted(out: HostArray, dtype: DType, src: ArrayLike<number>): void {
  const n = out.length;
  // Every caller checks the element count against the type first (a user error reported there).
  expectLengths(n, 'storeConverted', { src });
  switch (dtype) {
    case 'f32':
      for (let i = 0; i < n; i++) out[i] = src[i]!;
      return;
    case 'bool':
      for (let i = 0; i < n; i++) out[i] = src[i]! !== 0 ? 1 : 0;
      return;
    case 'i32':
      for (let i = 0; i < n; i++) out[i] = toI32(src[i]!);
      return;
    case 'u32':
      for (let i = 0; i < n; i++) out[i] = toU32(src[i]!);
      return;
    default: {
      const never: never = dtype;
      return never;
    }
  }
}

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const U32_MAX = 4294967295;

/** Integer values wrap (i32 ↔ u32 reinterpretation); fractional or out-of-range values truncate and clamp. */
export function toI32(x: number): number {
  return Number.isInteger(x) && x >= I32_MIN && x <= U32_MAX ? x | 0 : floatToI32(x);
}

export function toU32(x: number): number {
  return Number.isInteger(x) && x >= I32_MIN && x <= U32_MAX ? x >>> 0 : floatToU32(x);
}

/** f32 → i32 as in WGSL: truncate toward zero, clamp to the range, NaN → 0. */
export function floatToI32(x: number): number {
  if (Number.isNaN(x)) return 0;
  return x <= I32_MIN ? I32_MIN : x >= I32_MAX ? I32_MAX : Math.trunc(x);
}

export function floatToU32(x: number): number {
  if (Number.isNaN(x)) return 0;
  return x <= 0 ? 0 : x >= U32_MAX ? U32_MAX : Math.trunc(x);
}

/** A number as a store of `dtype` converts it (see storeConverted). */
export function convertScalar(dtype: DType, v: number): number {
  switch (dtype) {
    case 'f32':
      return v;
    case 'i32':
      return toI32(v);
    case 'u32':
      return toU32(v);
    case 'bool':
      return v !== 0 ? 1 : 0;
    default: {
      const never: never = dtype;
      return never;
    }
  }
}

/** Elements as plain numbers (row-major), for assertions and printing. */
export function toNumberArray(t: HostTensor | HostArray): number[] {
  const data = 'data' in t ? t.data : t;
  return Array.from(data);
}

/**
 * Normalises a caller-supplied value to a HostTensor of `type` and `precision`; `what` names it in
 * errors. A HostTensor of the right kind is used as is (the interpreter never writes to operands).
 */
export function toHostTensor(value: HostInput, type: TensorType, precision: Precision, what: string): HostTensor {
  if (typeof value === 'number') {
    if (numel(type.shape) !== 1) throw new KilnError({ message: `${what}: a single number was given, but ${formatType(type)} has ${numel(type.shape)} elements`, value: what });
    return hostTensor(type, [value], precision);
  }
  if (isHostTensor(value)) {
    if (value.type.dtype !== type.dtype || value.type.shape.length !== type.shape.length || value.type.shape.some((d, i) => d !== type.shape[i]))
      throw new KilnError({ message: `${what}: expected ${formatType(type)}, got ${formatType(value.type)}`, value: what });
    if (value.data.length !== numel(type.shape))
      throw new KilnError({ message: `${what}: ${formatType(type)} needs ${numel(type.shape)} element(s), data has ${value.data.length}`, value: what });
    // Bools are used as is only when already 0/1: the logical ops rely on it.
    if (hasArrayKind(value.data, type.dtype, precision) && (type.dtype !== 'bool' || value.data.every((v) => v <= 1))) return value;
    const out = allocateArray(type.dtype, value.data.length, precision);
    storeConverted(out, type.dtype, value.data);
    return { type: copyType(type), data: out };
  }
  if (value.length !== numel(type.shape)) throw new KilnError({ message: `${what}: ${formatType(type)} needs ${numel(type.shape)} element(s), got ${value.length}`, value: what });
  return hostTensor(type, value, precision);
}

export function isHostTensor(v: unknown): v is HostTensor {
  return typeof v === 'object' && v !== null && 'type' in v && 'data' in v && ArrayBuffer.isView((v as { data: unknown }).data);
}

function copyType(t: TensorType): TensorType {
  return { dtype: t.dtype, shape: [...t.shape] };
}
