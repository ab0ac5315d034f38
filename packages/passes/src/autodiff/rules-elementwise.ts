// Autodiff: VJP rules of the differentiable elementwise ops (unary math, arithmetic, pow, max/min,
// select, cast). Each is written with IR primitives on the primal values, so it differentiates again.

import type { ValueId } from '@kiln/ir';
import { operandOf, type VjpFn } from './rule.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;

type ElementwiseDiffOp =
  | 'neg'
  | 'abs'
  | 'exp'
  | 'log'
  | 'log1p'
  | 'expm1'
  | 'sqrt'
  | 'rsqrt'
  | 'sin'
  | 'cos'
  | 'tanh'
  | 'logistic'
  | 'erf'
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'max'
  | 'min'
  | 'select'
  | 'cast';

/**
 * Cotangents of a binary max/min. Where one operand strictly wins it takes the whole cotangent; at
 * ties the cotangent is split evenly (0.5 each), so the rule is symmetric and sum-preserving.
 */
const chooserVjp =
  (wins: 'gt' | 'lt'): VjpFn<'max' | 'min'> =>
  ({ e, node, ct, needs }) => {
    const a = operandOf(node, 0);
    const b = operandOf(node, 1);
    const share = e.select(e.binary(wins, a, b), e.full(1, ct), e.select(e.binary('eq', a, b), e.full(0.5, ct), e.full(0, ct)));
    const da = e.mul(ct, share);
    return [needs[0] ? da : undefined, needs[1] ? e.sub(ct, da) : undefined];
  };

export const elementwiseVjps: { [K in ElementwiseDiffOp]: VjpFn<K> } = {
  neg: ({ e, ct }) => [e.neg(ct)],
  // d|x| = sign(x): the subgradient 0 is used at x = 0.
  abs: ({ e, node, ct }) => [e.mul(ct, e.unary('sign', operandOf(node, 0)))],
  exp: ({ e, node, ct }) => [e.mul(ct, node.id)],
  log: ({ e, node, ct }) => [e.div(ct, operandOf(node, 0))],
  log1p: ({ e, node, ct }) => [e.div(ct, e.shift(operandOf(node, 0), 1))],
  expm1: ({ e, node, ct }) => [e.mul(ct, e.shift(node.id, 1))],
  sqrt: ({ e, node, ct }) => [e.div(ct, e.scale(node.id, 2))],
  // d/dx x^-1/2 = -1/2 x^-3/2 = -1/2 y^3.
  rsqrt: ({ e, node, ct }) => [e.mul(ct, e.scale(e.mul(node.id, e.mul(node.id, node.id)), -0.5))],
  sin: ({ e, node, ct }) => [e.mul(ct, e.unary('cos', operandOf(node, 0)))],
  cos: ({ e, node, ct }) => [e.mul(ct, e.neg(e.unary('sin', operandOf(node, 0))))],
  tanh: ({ e, node, ct }) => [e.mul(ct, e.sub(e.full(1, ct), e.mul(node.id, node.id)))],
  logistic: ({ e, node, ct }) => [e.mul(ct, e.mul(node.id, e.sub(e.full(1, ct), node.id)))],
  erf: ({ e, node, ct }) => {
    const x = operandOf(node, 0);
    return [e.mul(ct, e.scale(e.unary('exp', e.neg(e.mul(x, x))), TWO_OVER_SQRT_PI))];
  },

  add: ({ ct }) => [ct, ct],
  sub: ({ e, ct, needs }) => [ct, needs[1] ? e.neg(ct) : undefined],
  mul: ({ e, node, ct, needs }) => [needs[0] ? e.mul(ct, operandOf(node, 1)) : undefined, needs[1] ? e.mul(ct, operandOf(node, 0)) : undefined],
  // d(a/b)/db = -a/b^2 = -y/b.
  div: ({ e, node, ct, needs }) => {
    const b = operandOf(node, 1);
    return [needs[0] ? e.div(ct, b) : undefined, needs[1] ? e.neg(e.div(e.mul(ct, node.id), b)) : undefined];
  },
  /**
   * y = a^b. d/da = b·a^(b-1), taken as 0 where b = 0 (y is constant 1 there; avoids 0·inf at a = 0).
   * d/db = y·log(a) for a > 0 and 0 for a <= 0: a negative base is real only at integer b, where y
   * is not differentiable in b, and at a = 0 the limit of 0^b for b > 0 is flat. No NaN is produced.
   */
  pow: ({ e, node, ct, needs }) => {
    const a = operandOf(node, 0);
    const b = operandOf(node, 1);
    let da: ValueId | undefined;
    let db: ValueId | undefined;
    if (needs[0]) {
      const dyda = e.mul(b, e.binary('pow', a, e.shift(b, -1)));
      da = e.mul(ct, e.where(e.binary('ne', b, e.zerosLike(b)), dyda));
    }
    if (needs[1]) {
      const positive = e.binary('gt', a, e.zerosLike(a));
      const safeLog = e.unary('log', e.select(positive, a, e.full(1, a)));
      db = e.mul(ct, e.where(positive, e.mul(node.id, safeLog)));
    }
    return [da, db];
  },
  max: chooserVjp('gt'),
  min: chooserVjp('lt'),
  // The predicate is boolean, hence never differentiable.
  select: ({ e, node, ct, needs }) => {
    const p = operandOf(node, 0);
    return [undefined, needs[1] ? e.where(p, ct) : undefined, needs[2] ? e.select(p, e.zerosLike(ct), ct) : undefined];
  },
  // Only f32 → f32 is reachable: active values are f32, and an int/bool operand is never active.
  cast: ({ e, node, ct }) => [e.typeOf(operandOf(node, 0)).dtype === 'f32' ? ct : undefined],
};
