// The simplification rule table: total over ops, so a new op does not compile until someone
// decides which identities (if any) hold for it. Rules are tried in order; the first that fires wins.

import type { OpKind } from '@kiln/ir';
import * as a from './arith-rules.js';
import * as l from './layout-rules.js';
import type { NamedRule } from './rule.js';

export const simplifyRules: { readonly [K in OpKind]: readonly NamedRule<K>[] } = {
  neg: [a.negNeg],
  abs: [a.absAbs, a.absNeg],
  sign: [],
  exp: [],
  log: [a.logExp],
  log1p: [],
  expm1: [],
  sqrt: [],
  rsqrt: [],
  sin: [],
  cos: [],
  tanh: [],
  logistic: [],
  erf: [],
  floor: [],
  ceil: [],
  round: [],
  not: [a.notNot],
  add: [a.addZero],
  sub: [a.subZero, a.subSelf],
  mul: [a.mulOne, a.mulZero],
  div: [a.divOne, a.divPowerOfTwo],
  pow: [],
  max: [a.idempotent('max')],
  min: [a.idempotent('min')],
  eq: [],
  ne: [],
  lt: [],
  le: [],
  gt: [],
  ge: [],
  and: [a.idempotent('and')],
  or: [a.idempotent('or')],
  select: [a.selectConstant, a.selectSame],
  cast: [a.castSame],
  // Kept: it only matters to autodiff, which may run after simplification.
  stop_gradient: [],

  reshape: [l.reshapeSame, l.reshapeReshape],
  transpose: [l.transposeIdentity, l.transposeTranspose],
  broadcast: [l.broadcastSame, l.broadcastBroadcast],
  slice: [l.sliceAll],
  pad: [l.padNone],
  concat: [l.concatSingle],

  reduce_sum: [a.reduceTrivial('reduce_sum')],
  reduce_max: [a.reduceTrivial('reduce_max')],
  reduce_min: [a.reduceTrivial('reduce_min')],
  argmax: [],
  argmin: [],
  matmul: [],
  conv: [],
  reduce_window: [],
  select_and_scatter_add: [],
  gather: [],
  scatter_add: [],

  constant: [],
  iota: [],
  random_bits: [],
  call: [],
};
