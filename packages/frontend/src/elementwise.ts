// Frontend: elementwise primitives with broadcasting — unary math, binary arithmetic, comparisons,
// logic, select/where, cast, stop_gradient. Each emits one IR node (plus broadcasts/constants).

import type { BinaryElementwiseOp, DType, UnaryElementwiseOp } from '@kiln/ir';
import { alignOperands, asTensor, broadcastShapes, broadcastTo, full, traceOf, type TensorLike } from './broadcast.js';
import { Tensor } from './tensor.js';

function unary(op: UnaryElementwiseOp, x: Tensor): Tensor {
  return x.trace.emit(op, [x], {});
}

/** `numberDType`: the dtype numbers take when both operands are numbers. */
function binary(op: BinaryElementwiseOp, a: TensorLike, b: TensorLike, numberDType: DType = 'f32'): Tensor {
  const [x, y] = alignOperands(op, [a, b], numberDType);
  return x!.trace.emit(op, [x!, y!], {});
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
export const sin = (x: Tensor): Tensor => unary('sin', x);
export const cos = (x: Tensor): Tensor => unary('cos', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unary('logistic', x);
export const erf = (x: Tensor): Tensor => unary('erf', x);
export const floor = (x: Tensor): Tensor => unary('floor', x);
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
export const round = (x: Tensor): Tensor => unary('round', x);
export const logicalNot = (x: Tensor): Tensor => unary('not', x);
/** Identity in the forward pass; blocks gradients. */
export const stopGradient = (x: Tensor): Tensor => unary('stop_gradient', x);

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('max', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('min', a, b);
export const eq = (a: TensorLike, b: TensorLike): Tensor => binary('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => binary('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => binary('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => binary('le', a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => binary('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => binary('ge', a, b);
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => binary('and', a, b, 'bool');
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => binary('or', a, b, 'bool');

export const square = (x: Tensor): Tensor => mul(x, x);
export const reciprocal = (x: Tensor): Tensor => div(1, x);

/**
 * a ** b. Small integer and half-integer number exponents become multiplies/sqrt, which are exact
 * and defined for negative bases (WGSL's pow is NaN for a negative base).
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && typeof b === 'number') {
    switch (b) {
      case 0:
        return full(a.trace, 'pow', 1, a.dtype, a.shape);
      case 1:
        return a;
      case 2:
        return mul(a, a);
      case 3:
        return mul(mul(a, a), a);
      case -1:
        return div(1, a);
      case 0.5:
        return sqrt(a);
      case -0.5:
        return rsqrt(a);
      default:
        break;
    }
  }
  return binary('pow', a, b);
}

/** Elementwise `cond ? a : b` with broadcasting of all three; numbers take the other branch's dtype. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const ctx = traceOf('where', [cond, a, b]);
  const c = asTensor(ctx, 'where', cond, 'bool');
  if (c.dtype !== 'bool') throw ctx.error('where', `the condition must be bool, got ${c.dtype}`, [c]);
  const [x, y] = alignOperands('where', [a, b]) as [Tensor, Tensor];
  const shape = broadcastShapes(ctx, 'where', [c.shape, x.shape], [c, x]);
  return ctx.emit('select', [broadcastTo(c, shape, 'where'), broadcastTo(x, shape, 'where'), broadcastTo(y, shape, 'where')], {});
}

/** Converts dtype (float→int truncates toward zero; bool→number gives 0/1; number→bool tests != 0). */
export function cast(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : x.trace.emit('cast', [x], { dtype });
}

/** Clamps into [lo, hi]. */
export function clip(x: Tensor, lo: TensorLike, hi: TensorLike): Tensor {
  return minimum(maximum(x, lo), hi);
}
