// Registry entries for elementwise ops: unary math, binary arithmetic/comparison/logic, select,
// cast, stop_gradient. All operands share one shape (the frontend inserts explicit broadcasts).

import { formatType, shapesEqual, type TensorType } from '../shape.js';
import { fail } from '../errors.js';
import { erf, intDiv, logistic, powC99, roundHalfEven } from '../scalar-math.js';
import { defineOp, type DTypeClass, type ScalarFn } from './def.js';
import { operand, requireDType, requireSameType, withDType } from './checks.js';

const NO_ATTRS = {} as const;

function unary(cls: DTypeClass, f: (x: number) => number, doc: string) {
  return defineOp({
    attrs: NO_ATTRS,
    arity: 1,
    fusion: 'elementwise',
    typeFromAnnotation: false,
    infer: (ops) => {
      const x = operand(ops, 0);
      requireDType(x, cls, 'operand');
      return x;
    },
    scalar: { f: (a) => f(a) },
    doc,
  });
}

function binary(cls: DTypeClass, result: 'same' | 'bool', f: ScalarFn, doc: string, int?: ScalarFn) {
  return defineOp({
    attrs: NO_ATTRS,
    arity: 2,
    fusion: 'elementwise',
    typeFromAnnotation: false,
    infer: (ops) => {
      const a = operand(ops, 0);
      const b = operand(ops, 1);
      requireSameType(a, b, 'operands');
      requireDType(a, cls, 'operands');
      return result === 'bool' ? withDType(a, 'bool') : a;
    },
    scalar: int === undefined ? { f } : { f, int },
    doc,
  });
}

const b01 = (c: boolean): number => (c ? 1 : 0);

export const elementwiseOps = {
  neg: unary('numeric', (x) => -x, 'Negation.'),
  abs: unary('numeric', Math.abs, 'Absolute value.'),
  sign: unary('numeric', (x) => (x > 0 ? 1 : x < 0 ? -1 : x), 'Sign: -1, 0 or 1 (NaN stays NaN).'),
  exp: unary('float', Math.exp, 'e^x.'),
  log: unary('float', Math.log, 'Natural logarithm.'),
  log1p: unary('float', Math.log1p, 'log(1+x), accurate near 0.'),
  expm1: unary('float', Math.expm1, 'e^x - 1, accurate near 0.'),
  sqrt: unary('float', Math.sqrt, 'Square root.'),
  rsqrt: unary('float', (x) => 1 / Math.sqrt(x), 'Reciprocal square root 1/sqrt(x).'),
  sin: unary('float', Math.sin, 'Sine.'),
  cos: unary('float', Math.cos, 'Cosine.'),
  tanh: unary('float', Math.tanh, 'Hyperbolic tangent.'),
  logistic: unary('float', logistic, 'Logistic sigmoid 1/(1+e^-x).'),
  erf: unary('float', erf, 'Gauss error function.'),
  floor: unary('float', Math.floor, 'Round toward -inf.'),
  ceil: unary('float', Math.ceil, 'Round toward +inf.'),
  round: unary('float', roundHalfEven, 'Round to nearest, ties to even (as WGSL round).'),
  not: unary('logical', (x) => ~x, 'Logical not on bool; bitwise not on integers.'),

  add: binary('numeric', 'same', (a, b) => a + b, 'a + b.'),
  sub: binary('numeric', 'same', (a, b) => a - b, 'a - b.'),
  mul: binary(
    'numeric',
    'same',
    (a, b) => a * b,
    'a * b (wrapping for integers).',
    (a, b) => Math.imul(a, b),
  ),
  div: binary('numeric', 'same', (a, b) => a / b, 'a / b (integers truncate; x/0 = x as in WGSL).', intDiv),
  pow: binary('float', 'same', powC99, 'a ^ b (C99 special cases: pow(1, NaN) = pow(-1, ±Inf) = 1).'),
  max: binary('numeric', 'same', (a, b) => Math.max(a, b), 'Elementwise maximum (NaN propagates).'),
  min: binary('numeric', 'same', (a, b) => Math.min(a, b), 'Elementwise minimum (NaN propagates).'),
  eq: binary('any', 'bool', (a, b) => b01(a === b), 'a == b.'),
  ne: binary('any', 'bool', (a, b) => b01(a !== b), 'a != b.'),
  lt: binary('numeric', 'bool', (a, b) => b01(a < b), 'a < b.'),
  le: binary('numeric', 'bool', (a, b) => b01(a <= b), 'a <= b.'),
  gt: binary('numeric', 'bool', (a, b) => b01(a > b), 'a > b.'),
  ge: binary('numeric', 'bool', (a, b) => b01(a >= b), 'a >= b.'),
  and: binary('logical', 'same', (a, b) => a & b, 'Logical and on bool; bitwise and on integers.'),
  or: binary('logical', 'same', (a, b) => a | b, 'Logical or on bool; bitwise or on integers.'),

  select: defineOp({
    attrs: NO_ATTRS,
    arity: 3,
    fusion: 'elementwise',
    typeFromAnnotation: false,
    infer: (ops): TensorType => {
      const p = operand(ops, 0);
      const a = operand(ops, 1);
      const b = operand(ops, 2);
      requireDType(p, 'bool', 'predicate');
      requireSameType(a, b, 'branches');
      if (!shapesEqual(p.shape, a.shape)) fail(`predicate ${formatType(p)} must have the shape of the branches ${formatType(a)}`);
      return a;
    },
    scalar: { f: (p, a, b) => (p !== 0 ? a : b) },
    doc: 'select p, a, b: a where p is true, else b.',
  }),
  cast: defineOp({
    attrs: { dtype: 'dtype' },
    arity: 1,
    fusion: 'elementwise',
    typeFromAnnotation: false,
    infer: (ops, attrs) => withDType(operand(ops, 0), attrs.dtype),
    // Conversion happens when the value is stored through the result's typed array; f32→int
    // truncates toward zero like WGSL (the interpreter clamps out-of-range values).
    scalar: { f: (x) => x },
    doc: 'Convert dtype: float→int truncates toward zero, bool→number gives 0/1, number→bool tests != 0.',
  }),
  stop_gradient: defineOp({
    attrs: NO_ATTRS,
    arity: 1,
    fusion: 'elementwise',
    typeFromAnnotation: false,
    infer: (ops) => operand(ops, 0),
    scalar: { f: (x) => x },
    doc: 'Identity whose gradient is zero.',
  }),
};
