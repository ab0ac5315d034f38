// Frontend: fills Tensor's method table with the op functions (imported for its effect by the
// modules that open traces: trace.ts and modules/module.ts, and by the package index), so
// tensor.ts itself never imports the op modules that build Tensors.

import * as act from './activations.js';
import { broadcastTo } from './broadcast.js';
import * as ew from './elementwise.js';
import * as lay from './layout.js';
import { matmul } from './linalg.js';
import * as red from './reduce.js';
import { installTensorOps } from './tensor.js';

installTensorOps({
  add: ew.add, sub: ew.sub, mul: ew.mul, div: ew.div, pow: ew.pow, maximum: ew.maximum, minimum: ew.minimum,
  eq: ew.eq, ne: ew.ne, lt: ew.lt, le: ew.le, gt: ew.gt, ge: ew.ge, logicalAnd: ew.logicalAnd, logicalOr: ew.logicalOr,
  neg: ew.neg, abs: ew.abs, sign: ew.sign, exp: ew.exp, log: ew.log, log1p: ew.log1p, expm1: ew.expm1, sqrt: ew.sqrt,
  rsqrt: ew.rsqrt, square: ew.square, reciprocal: ew.reciprocal, sin: ew.sin, cos: ew.cos, tanh: ew.tanh, erf: ew.erf,
  floor: ew.floor, ceil: ew.ceil, round: ew.round, sigmoid: ew.sigmoid, logicalNot: ew.logicalNot, stopGradient: ew.stopGradient,
  clip: ew.clip, where: ew.where, cast: ew.cast,
  relu: act.relu, silu: act.silu, softplus: act.softplus, leakyRelu: act.leakyRelu, gelu: act.gelu, softmax: act.softmax,
  logSoftmax: act.logSoftmax,
  matmul, broadcastTo,
  flatten: lay.flatten, matrixTranspose: lay.matrixTranspose, reshape: lay.reshape, transpose: lay.transpose,
  expandDims: lay.expandDims, squeeze: lay.squeeze, at: lay.at, slice: lay.slice, sliceAxis: lay.sliceAxis, pad: lay.pad,
  gather: lay.gather, split: lay.split,
  sum: red.sum, mean: red.mean, max: red.max, min: red.min, logsumexp: red.logsumexp, variance: red.variance,
  argmax: red.argmax, argmin: red.argmin,
});
