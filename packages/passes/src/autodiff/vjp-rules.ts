// Autodiff: the VJP rule table, total over the op registry, so adding an op to @kiln/ir does not
// compile until its gradient (or its reason for having none) is written here.

import type { OpKind } from '@kiln/ir';
import { nondiff, type VjpRule } from './rule.js';
import { computeVjps } from './rules-compute.js';
import { convVjp } from './rules-conv.js';
import { elementwiseVjps } from './rules-elementwise.js';
import { layoutVjps } from './rules-layout.js';
import { reduceWindowVjp, selectAndScatterAddVjp } from './rules-window.js';

/**
 * Piecewise-constant ops have derivative zero wherever it exists (and none at their jumps); they
 * are treated as non-differentiable, which gives exactly that zero and prunes them from backprop.
 */
const PIECEWISE_CONSTANT = 'piecewise constant: the derivative is 0 almost everywhere (undefined at the jumps)';
const BOOLEAN = 'boolean/integer result: not a real-valued function of its operands';

export const vjpRules: { [K in OpKind]: VjpRule<K> } = {
  ...elementwiseVjps,
  sign: nondiff(PIECEWISE_CONSTANT),
  floor: nondiff(PIECEWISE_CONSTANT),
  ceil: nondiff(PIECEWISE_CONSTANT),
  round: nondiff(PIECEWISE_CONSTANT),
  not: nondiff(BOOLEAN),
  eq: nondiff(BOOLEAN),
  ne: nondiff(BOOLEAN),
  lt: nondiff(BOOLEAN),
  le: nondiff(BOOLEAN),
  gt: nondiff(BOOLEAN),
  ge: nondiff(BOOLEAN),
  and: nondiff(BOOLEAN),
  or: nondiff(BOOLEAN),
  stop_gradient: nondiff('identity whose gradient is zero by definition'),

  ...layoutVjps,
  ...computeVjps,
  argmax: nondiff('integer index result'),
  argmin: nondiff('integer index result'),
  conv: convVjp,
  reduce_window: reduceWindowVjp,
  select_and_scatter_add: selectAndScatterAddVjp,

  constant: nondiff('no operands'),
  iota: nondiff('no operands'),
  random_bits: nondiff('a function of an integer key only'),
  call: { kind: 'unsupported', why: 'autodiff runs on the unfused graph, before fusion outlines kernels; differentiate first, then fuse' },
};

/** True when gradients can flow through `op` (its rule is a function). */
export function isDifferentiableOp(op: OpKind): boolean {
  return typeof vjpRules[op] === 'function';
}
