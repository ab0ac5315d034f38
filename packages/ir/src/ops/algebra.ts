// Algebraic facts of the binary elementwise ops, a total table over the registry's binary
// elementwise ops (a new one fails to typecheck until it states its facts). Read by CSE
// (commutative operands are keyed as a set) and available to simplification rules.

import type { BinaryElementwiseOp, OpKind } from './index.js';

export interface Algebra {
  /** op(a, b) === op(b, a) for every dtype, exactly (NaN and signed zeros included). */
  readonly commutative: boolean;
  /** op(op(a, b), c) === op(a, op(b, c)) for every dtype, exactly (so not float add or mul). */
  readonly associative: boolean;
  /** op(a, a) === a. */
  readonly idempotent: boolean;
}

const NONE: Algebra = { commutative: false, associative: false, idempotent: false };
const COMMUTES: Algebra = { commutative: true, associative: false, idempotent: false };
const LATTICE: Algebra = { commutative: true, associative: true, idempotent: true };

export const BINARY_ALGEBRA: { readonly [K in BinaryElementwiseOp]: Algebra } = {
  add: COMMUTES,
  mul: COMMUTES,
  sub: NONE,
  div: NONE,
  pow: NONE,
  // max/min propagate NaN from either side, so they stay exact lattice operations.
  max: LATTICE,
  min: LATTICE,
  eq: COMMUTES,
  ne: COMMUTES,
  lt: NONE,
  le: NONE,
  gt: NONE,
  ge: NONE,
  and: LATTICE,
  or: LATTICE,
};

function isBinaryElementwise(op: OpKind): op is BinaryElementwiseOp {
  return Object.prototype.hasOwnProperty.call(BINARY_ALGEBRA, op);
}

/** The algebraic facts of `op` (none for ops that are not binary elementwise). */
export function algebraOf(op: OpKind): Algebra {
  return isBinaryElementwise(op) ? BINARY_ALGEBRA[op] : NONE;
}
