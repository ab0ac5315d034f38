// Fuzzer generators for elementwise ops. Domain-restricted ops (log, sqrt, rsqrt, log1p, pow base)
// get operands made positive first, so the reference values stay finite where it matters.

import { dtypeInClass, type BinaryElementwiseOp, type DType, type DTypeClass, type ValueId } from '@kiln/ir';
import { anyType, type GenContext } from './gen-context.js';

export type Gen = (c: GenContext) => ValueId;

const CLASS_DTYPES: Readonly<Record<DTypeClass, readonly DType[]>> = {
  float: ['f32'],
  numeric: ['f32', 'f32', 'i32', 'u32'],
  int: ['i32', 'u32'],
  bool: ['bool'],
  logical: ['bool', 'i32', 'u32'],
  any: ['f32', 'f32', 'i32', 'u32', 'bool'],
};

function operandOf(c: GenContext, cls: DTypeClass): ValueId {
  return c.value(
    (t) => dtypeInClass(t.dtype, cls),
    () => ({ dtype: c.dtype(CLASS_DTYPES[cls]), shape: c.shape() }),
  );
}

type UnaryOp = 'neg' | 'abs' | 'sign' | 'exp' | 'sin' | 'cos' | 'tanh' | 'logistic' | 'erf' | 'floor' | 'ceil' | 'round' | 'expm1' | 'not' | 'stop_gradient';

export function unary(op: UnaryOp, cls: DTypeClass): Gen {
  return (c) => c.node(op, [operandOf(c, cls)], {});
}

export function unaryPositive(op: 'log' | 'sqrt' | 'rsqrt' | 'log1p'): Gen {
  return (c) => c.node(op, [c.positive(operandOf(c, 'float'))], {});
}

export function binary(op: Exclude<BinaryElementwiseOp, 'pow'>, cls: DTypeClass): Gen {
  return (c) => {
    const a = operandOf(c, cls);
    const b = c.like(c.typeOf(a));
    return c.node(op, c.rng.chance(0.5) ? [a, b] : [b, a], {});
  };
}

export const genPow: Gen = (c) => {
  const a = c.positive(operandOf(c, 'float'));
  return c.node('pow', [a, c.like(c.typeOf(a))], {});
};

export const genSelect: Gen = (c) => {
  const a = c.value(anyType, () => ({ dtype: c.dtype(), shape: c.shape() }));
  const t = c.typeOf(a);
  const p = c.like({ dtype: 'bool', shape: t.shape });
  return c.node('select', [p, a, c.like(t)], {});
};

export const genCast: Gen = (c) => {
  const x = c.value(anyType, () => ({ dtype: c.dtype(), shape: c.shape() }));
  return c.node('cast', [x], { dtype: c.dtype(['f32', 'i32', 'u32', 'bool']) });
};
