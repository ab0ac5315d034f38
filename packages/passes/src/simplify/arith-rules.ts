// Arithmetic identities for `simplify`. Every rule is exact under IEEE f32 (NaN, ±inf and the sign
// of zero preserved) and under wrapping integer arithmetic, except log(exp x) → x (see simplify.ts).

import { elementAt, numel, type Node, type NodeOf, type ValueId } from '@kiln/ir';
import { constantElements } from '../constants.js';
import { isFloat, rule, type NamedRule, type SimplifyContext } from './rule.js';

type Binary = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'and' | 'or';

interface HasOperands {
  readonly operands: readonly ValueId[];
}

function lhs(n: HasOperands): ValueId {
  return elementAt(n.operands, 0, 'binary op operands');
}
function rhs(n: HasOperands): ValueId {
  return elementAt(n.operands, 1, 'binary op operands');
}

/** For a commutative op: the operand kept when the other one is a splat satisfying `pred`. */
function keepOther(n: Node, ctx: SimplifyContext, pred: (v: number) => boolean): ValueId | undefined {
  const b = ctx.splat(rhs(n));
  if (b !== undefined && pred(b)) return lhs(n);
  const a = ctx.splat(lhs(n));
  if (a !== undefined && pred(a)) return rhs(n);
  return undefined;
}

function hasSplat(n: Node, ctx: SimplifyContext, v: number): boolean {
  return ctx.splat(lhs(n)) === v || ctx.splat(rhs(n)) === v;
}

/** x + (-0) = x for every float x (x + (+0) would turn -0 into +0); x + 0 = x for integers. */
export const addZero = rule<'add'>('add-zero', (n, ctx) => keepOther(n, ctx, (v) => (isFloat(n.type.dtype) ? Object.is(v, -0) : v === 0)));

/** x - (+0) = x for every float x (including -0); x - 0 = x for integers. */
export const subZero = rule<'sub'>('sub-zero', (n, ctx) => {
  const b = ctx.splat(rhs(n));
  return b !== undefined && (isFloat(n.type.dtype) ? Object.is(b, 0) : b === 0) ? lhs(n) : undefined;
});

/** x - x = 0 only for integers: for floats inf - inf and NaN - NaN are NaN. */
export const subSelf = rule<'sub'>('sub-self', (n, ctx) => (!isFloat(n.type.dtype) && lhs(n) === rhs(n) ? ctx.constant(n.type, 0) : undefined));

export const mulOne = rule<'mul'>('mul-one', (n, ctx) => keepOther(n, ctx, (v) => v === 1));

/** x * 0 = 0 only for integers: for floats NaN * 0 and inf * 0 are NaN and -x * 0 is -0. */
export const mulZero = rule<'mul'>('mul-zero', (n, ctx) => (!isFloat(n.type.dtype) && hasSplat(n, ctx, 0) ? ctx.constant(n.type, 0) : undefined));

export const divOne = rule<'div'>('div-one', (n, ctx) => (ctx.splat(rhs(n)) === 1 ? lhs(n) : undefined));

/**
 * x / c → x * (1/c) when every element of the constant c is a power of two whose reciprocal is
 * an f32: x/c and x*(1/c) are then the same real number, so both round identically. Integer
 * division truncates, so it is left alone.
 */
export const divPowerOfTwo = rule<'div'>('div-pow2', (n, ctx) => {
  if (!isFloat(n.type.dtype)) return undefined;
  const splat = ctx.splat(rhs(n));
  if (splat !== undefined) return exactReciprocal(splat) === undefined ? undefined : ctx.emit('mul', [lhs(n), ctx.constant(n.type, exactReciprocal(splat)!)], {});
  const p = ctx.producer(rhs(n));
  if (p === undefined || p.op !== 'constant' || numel(p.type.shape) === 0) return undefined;
  const recips = constantElements(p).map(exactReciprocal);
  if (recips.some((r) => r === undefined)) return undefined;
  return ctx.emit('mul', [lhs(n), ctx.constant(n.type, recips as number[])], {});
});

function exactReciprocal(c: number): number | undefined {
  if (c === 0 || !Number.isFinite(c)) return undefined;
  const k = Math.log2(Math.abs(c));
  return Number.isInteger(k) && k >= -126 && k <= 126 ? 1 / c : undefined;
}

/** The operand of `n` when it is a node of op `op`. */
function inner<K extends Node['op']>(n: Node, ctx: SimplifyContext, op: K): NodeOf<K> | undefined {
  const p = ctx.producer(elementAt(n.operands, 0, 'unary op operands'));
  return p !== undefined && p.op === op ? (p as NodeOf<K>) : undefined;
}

export const negNeg = rule<'neg'>('neg-neg', (n, ctx) => inner(n, ctx, 'neg')?.operands[0]);
export const notNot = rule<'not'>('not-not', (n, ctx) => inner(n, ctx, 'not')?.operands[0]);
export const absAbs = rule<'abs'>('abs-abs', (n, ctx) => (inner(n, ctx, 'abs') !== undefined ? lhs(n) : undefined));

/** |-x| = |x| for f32 and i32; not for u32, where neg wraps to 2^32 - x. */
export const absNeg = rule<'abs'>('abs-neg', (n, ctx) => {
  if (n.type.dtype === 'u32') return undefined;
  const x = inner(n, ctx, 'neg')?.operands[0];
  return x === undefined ? undefined : ctx.emit('abs', [x], {});
});

/**
 * log(exp x) → x. Not bit-exact: it removes two roundings (an improvement) and differs where
 * exp overflows or underflows (x > 88.7 gives inf, x < -103.9 gives -inf before the rewrite).
 * exp(log x) is NOT rewritten: it is NaN for x < 0.
 */
export const logExp = rule<'log'>('log-exp', (n, ctx) => inner(n, ctx, 'exp')?.operands[0], true);

/** max(x,x), min(x,x), and(x,x), or(x,x) are x (NaN included). */
export function idempotent<K extends Binary>(op: K): NamedRule<K> {
  return rule<K>(`${op}-self`, (n) => (lhs(n) === rhs(n) ? lhs(n) : undefined));
}

export const selectConstant = rule<'select'>('select-constant', (n, ctx) => {
  const p = ctx.splat(elementAt(n.operands, 0, 'select operands'));
  if (p === undefined) return undefined;
  return p !== 0 ? n.operands[1] : n.operands[2];
});

export const selectSame = rule<'select'>('select-same', (n) => (n.operands[1] === n.operands[2] ? n.operands[1] : undefined));

export const castSame = rule<'cast'>('cast-same', (n, ctx) => (ctx.typeOf(lhs(n)).dtype === n.attrs.dtype ? lhs(n) : undefined));

/**
 * max/min over no axes or axes of size 1 only re-reads each element (-inf/+inf never wins), so
 * it is a reshape. reduce_sum is excluded for floats: 0 + (-0) is +0.
 */
export function reduceTrivial<K extends 'reduce_sum' | 'reduce_max' | 'reduce_min'>(op: K): NamedRule<K> {
  return rule<K>(`${op}-trivial`, (n, ctx) => {
    const x = lhs(n);
    const xt = ctx.typeOf(x);
    if (op === 'reduce_sum' && isFloat(xt.dtype)) return undefined;
    if (!n.attrs.axes.every((a) => xt.shape[a] === 1)) return undefined;
    if (xt.shape.length === n.type.shape.length) return x;
    return ctx.emit('reshape', [x], { shape: n.type.shape });
  });
}
