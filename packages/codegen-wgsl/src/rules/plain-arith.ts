// When an f32 add/sub/mul may be the plain WGSL operator instead of its bit-testing IEEE helper
// (kiln_add_f32 …): the hardware operation is IEEE-exact, and the helpers exist only because a
// fast-math driver folds identities (x*0 → 0, x+0 → x, x-x → 0) and reassociates chains.

import { opDefErased, type Node, type OpKind, type ValueId } from '@kiln/ir';
import type { ValueEmitter } from './rule.js';

/** The value of `v` when it is a constant with one value everywhere (a splat), else undefined. */
function splatValue(v: ValueId, em: ValueEmitter): number | undefined {
  const node = em.producerOf(v);
  if (node?.op !== 'constant') return undefined;
  const value = node.attrs.value;
  if (typeof value === 'number') return Math.fround(value);
  const first = value[0];
  return first !== undefined && value.every((x) => Object.is(x, first)) ? Math.fround(first) : undefined;
}

const MIN_NORMAL_F32 = 2 ** -126;

/** A splat constant c that is finite, normal and nonzero: no identity folds it (nor flushing to 0). */
function isOrdinaryConstant(v: ValueId, em: ValueEmitter): boolean {
  const c = splatValue(v, em);
  return c !== undefined && Number.isFinite(c) && Math.abs(c) >= MIN_NORMAL_F32;
}

const known = new WeakMap<ValueEmitter, Map<ValueId, boolean>>();

/**
 * `v` depends on data the driver cannot see at compile time (a kernel input, an index or random
 * source); values computed from constants alone may be folded by the driver into a 0 or 1.
 */
function dependsOnData(v: ValueId, em: ValueEmitter): boolean {
  let memo = known.get(em);
  if (memo === undefined) known.set(em, (memo = new Map<ValueId, boolean>()));
  const seen = memo.get(v);
  if (seen !== undefined) return seen;
  const node = em.producerOf(v);
  const result = node === undefined ? true : node.op === 'constant' ? false : opDefErased(node.op).fusion === 'source' ? true : node.operands.some((o) => dependsOnData(o, em));
  memo.set(v, result);
  return result;
}

const FAMILY: Readonly<Partial<Record<OpKind, 'add' | 'mul'>>> = { add: 'add', sub: 'add', mul: 'mul' };
/** Ops a driver moves through a product or sum (-(x·c)·d → -(x·(c·d)), seen on llvmpipe), so they may join a chain. */
const SIGN_OPS: ReadonlySet<OpKind> = new Set(['neg', 'abs', 'stop_gradient']);

/**
 * An f32 add/sub/mul may use the plain operator when every operand is either an ordinary constant
 * or depends on data (so no identity can be folded: that needs a zero, one or infinity the driver
 * knows), `x - x` and `x + (-x)` are not what it computes, and no operand or user is the same kind
 * of op, or a sign op or index math that may hide one: a driver reassociates (x+c1)+c2 into
 * x+(c1+c2) and -(x·c1)·c2 into -(x·(c1·c2)), which cancel or overflow differently (both seen on
 * llvmpipe; special-values patterns). The hardware op propagates NaN and ±Inf and rounds
 * x + y = 0 to +0 itself.
 */
export function plainArith(node: Pick<Node, 'id' | 'op' | 'operands'>, em: ValueEmitter): boolean {
  const family = FAMILY[node.op];
  if (family === undefined) return false;
  const [a, b] = node.operands;
  if (a === undefined || b === undefined) return false;
  if (!node.operands.every((o) => isOrdinaryConstant(o, em) || dependsOnData(o, em))) return false;
  const negates = (x: ValueId, y: ValueId): boolean => {
    const p = em.producerOf(x);
    return p?.op === 'neg' && p.operands[0] === y;
  };
  if (a === b ? node.op === 'sub' : family === 'add' && (negates(a, b) || negates(b, a))) return false;
  const chains = (n: Pick<Node, 'op'>): boolean => FAMILY[n.op] === family || SIGN_OPS.has(n.op) || opDefErased(n.op).fusion === 'layout';
  const operandChains = node.operands.some((o) => {
    const p = em.producerOf(o);
    return p !== undefined && !isOrdinaryConstant(o, em) && chains(p);
  });
  return !operandChains && !em.usersOf(node.id).some(chains);
}
