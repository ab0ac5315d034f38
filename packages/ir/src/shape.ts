// Tensor types (dtype + static shape) and the shape arithmetic shared by every layer.

import type { DType } from './dtype.js';

export type Shape = readonly number[];

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

export function tensorType(dtype: DType, shape: Shape): TensorType {
  return { dtype, shape: [...shape] };
}

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function typesEqual(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && shapesEqual(a.shape, b.shape);
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function formatType(t: TensorType): string {
  return `${t.dtype}${formatShape(t.shape)}`;
}

/** Row-major strides (in elements). */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] ?? 1;
  }
  return strides;
}

/**
 * The largest value Kiln addresses, in bytes: 2^31-1. Kernels index with 32-bit integers and a
 * JS typed array or WebGPU binding of this size is the most every backend is guaranteed to hold.
 */
export const MAX_VALUE_BYTES = 2 ** 31 - 1;
/** The most bytes all values of one graph may add up to (1 TiB), so planned offsets stay exact. */
export const MAX_GRAPH_BYTES = 2 ** 40;

/** Why a type cannot be held (a bad dimension, or too many bytes), or undefined when it can. */
export function typeSizeProblem(t: TensorType, bytesPerElement: number): string | undefined {
  const bad = t.shape.find((d) => !Number.isSafeInteger(d) || d < 0 || Object.is(d, -0));
  if (bad !== undefined) return `dimension ${String(bad)} in ${formatType(t)} is not a non-negative integer`;
  // Multiply with an early exit so 1e23-element shapes are reported instead of overflowing.
  let n = 1;
  for (const d of t.shape) {
    n *= d;
    if (n * bytesPerElement > MAX_VALUE_BYTES && !t.shape.includes(0)) return `${formatType(t)} needs more than the ${MAX_VALUE_BYTES} bytes (2^31-1) one value may hold`;
  }
  return undefined;
}
