// Small checks shared by the type rules of the registry. Each throws TypeRuleError with a message
// that names the offending operand or attribute.

import { fail } from '../errors.js';
import { elementAt } from '../invariant.js';
import type { DType } from '../dtype.js';
import { formatShape, formatType, shapesEqual, type Shape, type TensorType } from '../shape.js';
import { DTYPE_CLASS_TEXT, dtypeInClass, type DTypeClass } from './def.js';

export function operand(ops: readonly TensorType[], i: number): TensorType {
  const t = ops[i];
  if (t === undefined) fail(`missing operand #${i}`);
  return t;
}

/**
 * `xs[i]` where the type rule's own checks (requireLength, requireAxis, rank tests) already
 * guarantee the index: a miss is a bug in the rule, reported as such rather than read as 0.
 */
export const at: <T>(xs: readonly T[], i: number, what: string) => T = elementAt;

export function requireDType(t: TensorType, cls: DTypeClass, what: string): void {
  if (!dtypeInClass(t.dtype, cls)) fail(`${what} must be ${DTYPE_CLASS_TEXT[cls]}, got ${formatType(t)}`);
}

export function requireSameType(a: TensorType, b: TensorType, what: string): void {
  if (a.dtype !== b.dtype || !shapesEqual(a.shape, b.shape)) fail(`${what} must have the same type, got ${formatType(a)} and ${formatType(b)}`);
}

export function requireRank(t: TensorType, rank: number, what: string): void {
  if (t.shape.length !== rank) fail(`${what} must have rank ${rank}, got ${formatType(t)}`);
}

export function requireLength(xs: readonly unknown[], n: number, what: string): void {
  if (xs.length !== n) fail(`${what} must have ${n} entries (one per dimension), got ${xs.length}`);
}

export function requireAxis(axis: number, rank: number, what: string): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank) fail(`${what} ${axis} out of range for rank ${rank}`);
}

export function requirePositive(xs: readonly number[], what: string): void {
  for (const x of xs) if (!Number.isInteger(x) || x < 1) fail(`${what} must be positive integers, got [${xs.join(',')}]`);
}

export function requireShape(shape: Shape, what: string): void {
  for (const d of shape) if (!Number.isInteger(d) || d < 0) fail(`${what} must be non-negative integers, got ${formatShape(shape)}`);
}

export function requireDeclared(declared: TensorType | undefined, op: string): TensorType {
  if (declared === undefined) fail(`${op} needs its result type annotated`);
  requireShape(declared.shape, 'result shape');
  return declared;
}

export function withDType(t: TensorType, dtype: DType): TensorType {
  return { dtype, shape: t.shape };
}

/** Output size of a strided window sweep: floor((size + lo + hi - window) / stride) + 1, never negative. */
export function windowedSize(size: number, lo: number, hi: number, window: number, stride: number): number {
  const span = size + lo + hi - window;
  return span < 0 ? 0 : Math.floor(span / stride) + 1;
}
