// vec4 forms of the elementwise ops (one entry per op of elementwise-rules.ts, so a new op must say
// whether it has one): the same semantics on four lanes, through the vec4 prelude helpers
// (prelude-x4.ts). `undefined` (integer operands, or no vector form) computes the lanes one by one.

import { elementAt, type DType, type NodeOf } from '@kiln/ir';
import type { elementwiseRules } from './elementwise-rules.js';
import { plainArith } from './plain-arith.js';
import type { ValueEmitter } from './rule.js';

type ElementwiseOp = keyof typeof elementwiseRules;

/** vec4 expression of `node` from its operands' vec4 expressions, or undefined for lane by lane. */
export type X4Expr<K extends ElementwiseOp> = (node: NodeOf<K>, args: readonly string[], em: ValueEmitter) => string | undefined;

const a0 = (args: readonly string[]): string => elementAt(args, 0, 'vec4 elementwise WGSL arguments');
const a1 = (args: readonly string[]): string => elementAt(args, 1, 'vec4 elementwise WGSL arguments');

function dtypes(node: { readonly operands: readonly number[] }, em: ValueEmitter): DType[] {
  return node.operands.map((o) => em.typeOf(o).dtype);
}

/** Only when every operand is f32. */
function f32s<K extends ElementwiseOp>(expr: (args: readonly string[]) => string): X4Expr<K> {
  return (n, args, em) => (dtypes(n, em).every((d) => d === 'f32') ? expr(args) : undefined);
}
const unary = <K extends ElementwiseOp>(fn: string): X4Expr<K> => f32s((args) => `${fn}(${a0(args)})`);
const binary = <K extends ElementwiseOp>(fn: string): X4Expr<K> => f32s((args) => `${fn}(${a0(args)}, ${a1(args)})`);
/** add/sub/mul: the vec4 helper, or the plain operator where plain-arith.ts shows it exact (as the scalar rule). */
const arith =
  <K extends ElementwiseOp>(fn: string, op: string): X4Expr<K> =>
  (n, args, em) =>
    f32s<K>((a) => (plainArith(n, em) ? `(${a0(a)} ${op} ${a1(a)})` : `${fn}(${a0(a)}, ${a1(a)})`))(n, args, em);
const infix = <K extends ElementwiseOp>(op: string): X4Expr<K> => f32s((args) => `(${a0(args)} ${op} ${a1(args)})`);
/** Only when every operand is bool (vec4<bool> takes & and |, not && and ||). */
const bools =
  <K extends ElementwiseOp>(expr: (args: readonly string[]) => string): X4Expr<K> =>
  (n, args, em) =>
    dtypes(n, em).every((d) => d === 'bool') ? expr(args) : undefined;

export const elementwiseX4Rules: { readonly [K in ElementwiseOp]: X4Expr<K> } = {
  neg: f32s((args) => `(-${a0(args)})`),
  abs: unary('abs'),
  sign: unary('kiln_sign_f32_x4'),
  exp: unary('kiln_exp_x4'),
  log: unary('kiln_log_x4'),
  log1p: unary('kiln_log1p_x4'),
  expm1: unary('kiln_expm1_x4'),
  sqrt: unary('sqrt'),
  rsqrt: f32s((args) => `kiln_div_f32_x4(vec4<f32>(1.0f), sqrt(${a0(args)}))`),
  sin: unary('kiln_sin_x4'),
  cos: unary('kiln_cos_x4'),
  tanh: unary('kiln_tanh_x4'),
  logistic: unary('kiln_logistic_x4'),
  erf: unary('kiln_erf_x4'),
  floor: unary('floor'),
  ceil: unary('ceil'),
  round: unary('round'),
  not: bools((args) => `(!${a0(args)})`),
  add: arith('kiln_add_f32_x4', '+'),
  sub: arith('kiln_sub_f32_x4', '-'),
  mul: arith('kiln_mul_f32_x4', '*'),
  div: binary('kiln_div_f32_x4'),
  pow: binary('kiln_pow_x4'),
  max: binary('kiln_max_f32_x4'),
  min: binary('kiln_min_f32_x4'),
  eq: infix('=='),
  // As the scalar rule: not(a == b), so NaN != x holds where != compiles as an ordered compare.
  ne: f32s((args) => `(!(${a0(args)} == ${a1(args)}))`),
  lt: infix('<'),
  le: infix('<='),
  gt: infix('>'),
  ge: infix('>='),
  and: bools((args) => `(${a0(args)} & ${a1(args)})`),
  or: bools((args) => `(${a0(args)} | ${a1(args)})`),
  select: (n, args, em) => {
    const [c, t, f] = dtypes(n, em);
    return c === 'bool' && t === f && (t === 'f32' || t === 'bool') ? `select(${elementAt(args, 2, 'vec4 select WGSL arguments')}, ${a1(args)}, ${a0(args)})` : undefined;
  },
  cast: (n, args, em) => {
    const from = em.typeOf(elementAt(n.operands, 0, 'cast operands')).dtype;
    const to = n.attrs.dtype;
    if (from === to) return a0(args);
    if (from === 'bool' && to === 'f32') return `select(vec4<f32>(0.0f), vec4<f32>(1.0f), ${a0(args)})`;
    // Bitwise, as the scalar rule: NaN is true on every driver.
    if (from === 'f32' && to === 'bool') return `((bitcast<vec4<u32>>(${a0(args)}) & vec4<u32>(0x7fffffffu)) != vec4<u32>(0u))`;
    return undefined;
  },
  stop_gradient: (_n, args) => a0(args),
};
