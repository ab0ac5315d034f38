// Frontend: NumPy-style broadcasting and number coercion. The IR has no implicit broadcasting, so
// operands of different shapes get explicit `broadcast` nodes (size-1 dims expand, as in XLA's
// broadcast_in_dim) and JS numbers become constants of the other operand's dtype and shape.

import { elementAt, formatShape, shapesEqual, type DType, type Shape } from '@kiln/ir';
import { currentTrace, type TraceContext } from './trace-context.js';
import { Tensor, type TensorLike } from './tensor.js';

export type { TensorLike } from './tensor.js';

/** The trace the operands belong to (the innermost active one when they are all numbers). */
export function traceOf(op: string, xs: readonly TensorLike[]): TraceContext {
  for (const x of xs) if (x instanceof Tensor) return x.trace;
  return currentTrace(`k.${op}`);
}

/** Checks that `v` is representable in `dtype` (no silent truncation of 0.5 into an i32). */
export function checkNumberFits(ctx: TraceContext, op: string, v: number, dtype: DType): void {
  const ok =
    dtype === 'f32' ||
    (dtype === 'bool' && (v === 0 || v === 1)) ||
    (dtype === 'i32' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) ||
    (dtype === 'u32' && Number.isInteger(v) && v >= 0 && v <= 4294967295);
  if (!ok) throw ctx.error(op, `the number ${v} is not a valid ${dtype} value (cast the tensor first)`);
}

/** A constant of `shape` filled with `v`. */
export function full(ctx: TraceContext, op: string, v: number, dtype: DType, shape: Shape): Tensor {
  checkNumberFits(ctx, op, v, dtype);
  return ctx.constant(v, { dtype, shape });
}

/** The NumPy broadcast of several shapes (aligned at the right; each dim equal or 1). */
export function broadcastShapes(ctx: TraceContext, op: string, shapes: readonly Shape[], operands: readonly Tensor[]): Shape {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = elementAt(s, i, 'shape');
      const j = rank - s.length + i;
      const cur = elementAt(out, j, 'broadcast shape');
      if (d === cur || d === 1) continue;
      if (cur === 1) out[j] = d;
      else throw ctx.error(op, `shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together (dim ${j}: ${cur} vs ${d})`, operands);
    }
  }
  return out;
}

/** Broadcasts `x` to `shape` by NumPy rules (x's dims align with the trailing dims of `shape`). */
export function broadcastTo(x: Tensor, shape: Shape, op = 'broadcastTo'): Tensor {
  const ctx = x.trace;
  if (shapesEqual(x.shape, shape)) return x;
  const r = x.shape.length;
  const offset = shape.length - r;
  const ok = offset >= 0 && x.shape.every((d, i) => d === 1 || d === shape[offset + i]);
  if (!ok) throw ctx.error(op, `cannot broadcast ${formatShape(x.shape)} to ${formatShape(shape)}`, [x]);
  const dims = Array.from({ length: r }, (_, i) => offset + i);
  return ctx.emit('broadcast', [x], { dims, shape: [...shape] });
}

/**
 * Makes operands ready for an n-ary elementwise op: one dtype (numbers take the tensors' dtype, or
 * `numberDType` when all are numbers) and one broadcast shape. Tensors of different dtypes are an error.
 */
export function alignOperands(op: string, xs: readonly TensorLike[], numberDType: DType = 'f32'): Tensor[] {
  const ctx = traceOf(op, xs);
  const tensors = xs.filter((x): x is Tensor => x instanceof Tensor);
  for (const t of tensors) ctx.checkOwn(op, t);
  const dtype = tensors[0]?.dtype ?? numberDType;
  if (tensors.some((t) => t.dtype !== dtype)) throw ctx.error(op, 'operand dtypes differ (use .cast())', tensors);
  const shape = broadcastShapes(
    ctx,
    op,
    tensors.map((t) => t.shape),
    tensors,
  );
  return xs.map((x) => (x instanceof Tensor ? broadcastTo(x, shape, op) : full(ctx, op, x, dtype, shape)));
}

/** A tensor for `x`: itself, or a scalar constant of `dtype`. */
export function asTensor(ctx: TraceContext, op: string, x: TensorLike, dtype: DType = 'f32'): Tensor {
  return x instanceof Tensor ? x : full(ctx, op, x, dtype, []);
}
