// Layout identities for `simplify`: composing or dropping reshape, transpose, broadcast, slice,
// pad and concat. All are exact (they move elements, never compute).

import { elementAt, shapesEqual, type Node, type ValueId } from '@kiln/ir';
import { rule, type SimplifyContext } from './rule.js';

function operand(n: Node): ValueId {
  return elementAt(n.operands, 0, 'layout op operands');
}

function sameShapeAsOperand(n: Node, ctx: SimplifyContext): boolean {
  return shapesEqual(ctx.typeOf(operand(n)).shape, n.type.shape);
}

export const reshapeSame = rule<'reshape'>('reshape-same', (n, ctx) => (sameShapeAsOperand(n, ctx) ? operand(n) : undefined));

export const reshapeReshape = rule<'reshape'>('reshape-reshape', (n, ctx) => {
  const p = ctx.producer(operand(n));
  if (p === undefined || p.op !== 'reshape') return undefined;
  const x = operand(p);
  return shapesEqual(ctx.typeOf(x).shape, n.type.shape) ? x : ctx.emit('reshape', [x], { shape: n.attrs.shape });
});

function isIdentityPerm(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

export const transposeIdentity = rule<'transpose'>('transpose-identity', (n) => (isIdentityPerm(n.attrs.perm) ? operand(n) : undefined));

/** transpose(transpose(x, p), q): result dim i is x dim p[q[i]]. */
export const transposeTranspose = rule<'transpose'>('transpose-transpose', (n, ctx) => {
  const p = ctx.producer(operand(n));
  if (p === undefined || p.op !== 'transpose') return undefined;
  const perm = n.attrs.perm.map((q) => elementAt(p.attrs.perm, q, 'inner transpose perm'));
  const x = operand(p);
  return isIdentityPerm(perm) ? x : ctx.emit('transpose', [x], { perm });
});

/** A broadcast whose result has the operand's shape (so dims are 0..r-1) is the identity. */
export const broadcastSame = rule<'broadcast'>('broadcast-same', (n, ctx) => (sameShapeAsOperand(n, ctx) ? operand(n) : undefined));

/**
 * broadcast(broadcast(x, d1, s1), d2, s2) = broadcast(x, d2∘d1, s2): x dim i lands in s1 dim
 * d1[i], which lands in s2 dim d2[d1[i]]; a size-1 dim stays expandable at every step.
 */
export const broadcastBroadcast = rule<'broadcast'>('broadcast-broadcast', (n, ctx) => {
  const p = ctx.producer(operand(n));
  if (p === undefined || p.op !== 'broadcast') return undefined;
  const dims = p.attrs.dims.map((d) => elementAt(n.attrs.dims, d, 'outer broadcast dims'));
  return ctx.emit('broadcast', [operand(p)], { dims, shape: n.attrs.shape });
});

/** A slice starting at 0 whose result keeps the operand's shape takes every element. */
export const sliceAll = rule<'slice'>('slice-all', (n, ctx) => (n.attrs.start.every((s) => s === 0) && sameShapeAsOperand(n, ctx) ? operand(n) : undefined));

export const padNone = rule<'pad'>('pad-none', (n) => ([...n.attrs.low, ...n.attrs.high, ...n.attrs.interior].every((v) => v === 0) ? operand(n) : undefined));

export const concatSingle = rule<'concat'>('concat-single', (n) => (n.operands.length === 1 ? operand(n) : undefined));
