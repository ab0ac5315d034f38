// The CPU interpreter's total rule table: one eval rule per registry op. Adding an op to the
// registry fails to compile here until its reference semantics are written.

import type { OpKind } from '../ops/index.js';
import type { EvalRule } from './eval-rule.js';
import { evalCast, pointwise } from './eval-elementwise.js';
import { evalBroadcast, evalConcat, evalPad, evalReshape, evalSlice, evalTranspose } from './eval-layout.js';
import { evalArgmax, evalArgmin, evalReduceMax, evalReduceMin, evalReduceSum } from './eval-reduce.js';
import { evalMatmul } from './eval-matmul.js';
import { evalConv } from './eval-conv.js';
import { evalReduceWindow, evalSelectAndScatterAdd } from './eval-window.js';
import { evalGather, evalScatterAdd } from './eval-gather.js';
import { evalCall, evalConstant, evalIota, evalRandomBits } from './eval-sources.js';

export const evalRules: { readonly [K in OpKind]: EvalRule<K> } = {
  neg: pointwise('neg'),
  abs: pointwise('abs'),
  sign: pointwise('sign'),
  exp: pointwise('exp'),
  log: pointwise('log'),
  log1p: pointwise('log1p'),
  expm1: pointwise('expm1'),
  sqrt: pointwise('sqrt'),
  rsqrt: pointwise('rsqrt'),
  sin: pointwise('sin'),
  cos: pointwise('cos'),
  tanh: pointwise('tanh'),
  logistic: pointwise('logistic'),
  erf: pointwise('erf'),
  floor: pointwise('floor'),
  ceil: pointwise('ceil'),
  round: pointwise('round'),
  not: pointwise('not'),
  add: pointwise('add'),
  sub: pointwise('sub'),
  mul: pointwise('mul'),
  div: pointwise('div'),
  pow: pointwise('pow'),
  max: pointwise('max'),
  min: pointwise('min'),
  eq: pointwise('eq'),
  ne: pointwise('ne'),
  lt: pointwise('lt'),
  le: pointwise('le'),
  gt: pointwise('gt'),
  ge: pointwise('ge'),
  and: pointwise('and'),
  or: pointwise('or'),
  select: pointwise('select'),
  cast: evalCast,
  stop_gradient: pointwise('stop_gradient'),

  reshape: evalReshape,
  transpose: evalTranspose,
  broadcast: evalBroadcast,
  slice: evalSlice,
  pad: evalPad,
  concat: evalConcat,

  reduce_sum: evalReduceSum,
  reduce_max: evalReduceMax,
  reduce_min: evalReduceMin,
  argmax: evalArgmax,
  argmin: evalArgmin,
  matmul: evalMatmul,
  conv: evalConv,
  reduce_window: evalReduceWindow,
  select_and_scatter_add: evalSelectAndScatterAdd,
  gather: evalGather,
  scatter_add: evalScatterAdd,

  constant: evalConstant,
  iota: evalIota,
  random_bits: evalRandomBits,
  call: evalCall,
};
