// WGSL expressions for elementwise ops, matching the reference evaluator's scalar semantics:
// saturating float→int casts, NaN-propagating max/min, WGSL integer division (x/0 = x), and
// helpers for erf/log1p/expm1/logistic/tanh/pow/sin/cos (see prelude.ts).

import { elementAt, type DType, type NodeOf, type OpKind } from '@kiln/ir';
import { plainArith } from './plain-arith.js';
import type { ValueEmitter, WgslRule } from './rule.js';

type Expr<K extends OpKind> = (node: NodeOf<K>, args: readonly string[], em: ValueEmitter) => string;

function a0(args: readonly string[]): string {
  return elementAt(args, 0, 'elementwise WGSL arguments');
}
function a1(args: readonly string[]): string {
  return elementAt(args, 1, 'elementwise WGSL arguments');
}

/** Dtype of operand #k of `node`. */
function dt(node: { readonly operands: readonly number[] }, em: ValueEmitter, k = 0): DType {
  return em.typeOf(elementAt(node.operands, k, 'elementwise operands')).dtype;
}

function ew<K extends OpKind>(expr: Expr<K>): WgslRule<K> {
  return { kind: 'elementwise', expr };
}

/** A builtin (or helper) applied to the single operand. */
function call1<K extends OpKind>(fn: string): WgslRule<K> {
  return ew((_n, args) => `${fn}(${a0(args)})`);
}

function infix<K extends OpKind>(op: string): WgslRule<K> {
  return ew((_n, args) => `(${a0(args)} ${op} ${a1(args)})`);
}

/** f32: the IEEE helper `fn` (the plain operator where plain-arith.ts shows it exact); integers: the infix operator. */
function floatHelper<K extends OpKind>(fn: string, op: string): WgslRule<K> {
  return ew((n, args, em) => (dt(n, em) === 'f32' && !plainArith(n, em) ? `${fn}(${a0(args)}, ${a1(args)})` : `(${a0(args)} ${op} ${a1(args)})`));
}

export function castExpr(from: DType, to: DType, x: string): string {
  if (from === to) return x;
  switch (to) {
    case 'f32':
      return from === 'bool' ? `select(0.0f, 1.0f, ${x})` : `f32(${x})`;
    case 'bool':
      // Bitwise, so NaN is true on every driver (some fold a float compare as if NaN never occurs).
      return from === 'f32' ? `((bitcast<u32>(${x}) & 0x7fffffffu) != 0u)` : from === 'i32' ? `(${x} != 0i)` : `(${x} != 0u)`;
    case 'i32':
      return from === 'f32' ? `kiln_f32_to_i32(${x})` : from === 'bool' ? `select(0i, 1i, ${x})` : `bitcast<i32>(${x})`;
    case 'u32':
      return from === 'f32' ? `kiln_f32_to_u32(${x})` : from === 'bool' ? `select(0u, 1u, ${x})` : `bitcast<u32>(${x})`;
    default: {
      const never: never = to;
      return never;
    }
  }
}

export const elementwiseRules = {
  neg: ew<'neg'>((n, args, em) => (dt(n, em) === 'u32' ? `(0u - ${a0(args)})` : `(-${a0(args)})`)),
  abs: ew<'abs'>((n, args, em) => (dt(n, em) === 'u32' ? a0(args) : `abs(${a0(args)})`)),
  sign: ew<'sign'>((n, args, em) => {
    const d = dt(n, em);
    return d === 'f32' ? `kiln_sign_f32(${a0(args)})` : d === 'u32' ? `select(0u, 1u, ${a0(args)} > 0u)` : `sign(${a0(args)})`;
  }),
  exp: call1<'exp'>('kiln_exp'),
  log: call1<'log'>('kiln_log'),
  log1p: call1<'log1p'>('kiln_log1p'),
  expm1: call1<'expm1'>('kiln_expm1'),
  sqrt: call1<'sqrt'>('sqrt'),
  rsqrt: ew<'rsqrt'>((_n, args) => `kiln_div_f32(1.0f, sqrt(${a0(args)}))`),
  // Not the builtins: their WGSL error bound (2^-11) is far looser than Kiln's tolerance.
  sin: call1<'sin'>('kiln_sin'),
  cos: call1<'cos'>('kiln_cos'),
  tanh: call1<'tanh'>('kiln_tanh'),
  logistic: call1<'logistic'>('kiln_logistic'),
  erf: call1<'erf'>('kiln_erf'),
  floor: call1<'floor'>('floor'),
  ceil: call1<'ceil'>('ceil'),
  round: call1<'round'>('round'),
  not: ew<'not'>((n, args, em) => (dt(n, em) === 'bool' ? `(!${a0(args)})` : `(~${a0(args)})`)),

  // f32 add/sub/mul through bit-tested helpers: after fusion inlines constants the driver may fold
  // x*0, x-x or x+0 as if NaN, ±Inf and -0 never occurred (integers wrap exactly as written).
  add: floatHelper<'add'>('kiln_add_f32', '+'),
  sub: floatHelper<'sub'>('kiln_sub_f32', '-'),
  mul: floatHelper<'mul'>('kiln_mul_f32', '*'),
  div: ew<'div'>((n, args, em) => (dt(n, em) === 'f32' ? `kiln_div_f32(${a0(args)}, ${a1(args)})` : `(${a0(args)} / ${a1(args)})`)),
  pow: ew<'pow'>((_n, args) => `kiln_pow(${a0(args)}, ${a1(args)})`),
  max: ew<'max'>((n, args, em) => (dt(n, em) === 'f32' ? `kiln_max_f32(${a0(args)}, ${a1(args)})` : `max(${a0(args)}, ${a1(args)})`)),
  min: ew<'min'>((n, args, em) => (dt(n, em) === 'f32' ? `kiln_min_f32(${a0(args)}, ${a1(args)})` : `min(${a0(args)}, ${a1(args)})`)),
  eq: infix<'eq'>('=='),
  // f32: not(a == b), so NaN != x is true where a driver compiles != as an ordered compare (SwiftShader).
  ne: ew<'ne'>((n, args, em) => (dt(n, em) === 'f32' ? `(!(${a0(args)} == ${a1(args)}))` : `(${a0(args)} != ${a1(args)})`)),
  lt: infix<'lt'>('<'),
  le: infix<'le'>('<='),
  gt: infix<'gt'>('>'),
  ge: infix<'ge'>('>='),
  and: ew<'and'>((n, args, em) => `(${a0(args)} ${dt(n, em) === 'bool' ? '&&' : '&'} ${a1(args)})`),
  or: ew<'or'>((n, args, em) => `(${a0(args)} ${dt(n, em) === 'bool' ? '||' : '|'} ${a1(args)})`),

  select: ew<'select'>((_n, args) => `select(${elementAt(args, 2, 'select WGSL arguments')}, ${a1(args)}, ${a0(args)})`),
  cast: ew<'cast'>((n, args, em) => castExpr(dt(n, em), n.attrs.dtype, a0(args))),
  stop_gradient: ew<'stop_gradient'>((_n, args) => a0(args)),
};
