// Lowerings of the ONNX loss ops NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss (class
// axis 1, optional per-class weights, ignore_index, reduction none/sum/mean), plus ReduceProd,
// LRN and MeanVarianceNormalization, composed from one-hot masks, reductions and windows.

import type { ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';
import { logSoftmax } from './rules-reduce.js';

/** -logp[n, t[n,...], ...] weighted, reduced as ONNX specifies. */
function nll(c: NodeCtx, e: Emitter, logp: ValueId, target: ValueId, weight: ValueId | undefined): ValueId {
  const s = e.shape(logp); // [N, C, d...]
  const C = s[1];
  if (C === undefined) throw c.error(`input must be [N, C, ...], got rank ${s.length}`);
  let t = e.cast(target, 'i32'); // [N, d...]
  const ignore = c.hasAttr('ignore_index') ? c.int('ignore_index', 0) : undefined;
  const valid = ignore === undefined ? undefined : e.withScalar('ne', t, ignore);
  if (valid !== undefined) t = e.select(valid, t, e.full(t, -1)); // -1 matches no class
  const ts = e.shape(t);
  const tb = e.op('broadcast', [t], { dims: ts.map((_, i) => (i === 0 ? 0 : i + 1)), shape: [...s] });
  const cls = e.b.add('iota', [], { dim: 1 }, { type: { dtype: 'i32', shape: [...s] } });
  const mask = e.cast(e.op('eq', [tb, cls], {}), 'f32');
  const picked = e.reduce('reduce_sum', e.op('mul', [logp, mask], {}), [1], false); // [N, d...]
  let w: ValueId;
  if (weight !== undefined) {
    const wb = e.op('broadcast', [weight], { dims: [1], shape: [...s] });
    w = e.reduce('reduce_sum', e.op('mul', [wb, mask], {}), [1], false);
  } else {
    w = valid === undefined ? e.full(picked, 1) : e.cast(valid, 'f32');
  }
  void C;
  const loss = e.unary('neg', e.op('mul', [picked, w], {}));
  const reduction = c.string('reduction', 'mean');
  const all = ts.map((_, i) => i);
  if (reduction === 'none') return loss;
  const sum = e.reduce('reduce_sum', loss, all, false);
  if (reduction === 'sum') return sum;
  if (reduction !== 'mean') throw c.unsupported(`reduction "${reduction}"`);
  return e.op('div', [sum, e.reduce('reduce_sum', w, all, false)], {});
}

export const lossRules: Readonly<Record<string, OpRule>> = {
  NegativeLogLikelihoodLoss: { attrs: ['reduction', 'ignore_index'], lower: (c) => [nll(c, c.e, c.input(0), c.input(1), c.opt(2))] },
  SoftmaxCrossEntropyLoss: {
    attrs: ['reduction', 'ignore_index'],
    lower: (c) => {
      const e = c.e;
      const logp = logSoftmax(e, c.input(0), 1);
      return [nll(c, e, logp, c.input(1), c.opt(2)), logp];
    },
  },
  ReduceProd: {
    attrs: ['axes', 'keepdims', 'noop_with_empty_axes'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const r = e.rank(x);
      const raw = c.opset >= 18 ? c.staticIntsOpt(1, 'axes') : c.ints('axes');
      if ((raw === undefined || raw.length === 0) && c.int('noop_with_empty_axes', 0) !== 0) return [x];
      const axes = raw === undefined || raw.length === 0 ? Array.from({ length: r }, (_, i) => i) : raw.map((a) => e.axis(a, r));
      const keep = c.int('keepdims', 1) !== 0;
      if (e.dtype(x) !== 'f32') throw c.unsupported('ReduceProd on integers');
      // prod = (-1)^(#negatives) * exp(sum log|x|); a zero anywhere gives exp(-inf) = 0.
      const mag = e.unary('exp', e.reduce('reduce_sum', e.unary('log', e.unary('abs', x)), axes, keep));
      const negs = e.reduce('reduce_sum', e.cast(e.withScalar('lt', x, 0), 'f32'), axes, keep);
      const half = e.withScalar('mul', negs, 0.5);
      const odd = e.op('ne', [e.unary('floor', half), half], {});
      return [e.select(odd, e.unary('neg', mag), mag)];
    },
  },
  LRN: {
    attrs: ['alpha', 'beta', 'bias', 'size'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const s = e.shape(x);
      const size = c.intReq('size');
      const lo = Math.floor((size - 1) / 2);
      const hi = Math.ceil((size - 1) / 2);
      const sq = e.op('mul', [x, x], {});
      const win = s.map((_, i) => (i === 1 ? size : 1));
      const sum = e.op('reduce_window', [sq], { kind: 'sum', window: win, stride: s.map(() => 1), padding: s.map((_, i): [number, number] => (i === 1 ? [lo, hi] : [0, 0])) });
      const den = e.withScalar('pow', e.withScalar('add', e.withScalar('mul', sum, c.float('alpha', 1e-4) / size), c.float('bias', 1)), c.float('beta', 0.75));
      return [e.op('div', [x, den], {})];
    },
  },
  MeanVarianceNormalization: {
    attrs: ['axes'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const axes = (c.ints('axes') ?? [0, 2, 3]).map((a) => e.axis(a, e.rank(x)));
      const d = e.binary('sub', x, e.mean(x, axes, true));
      const v = e.mean(e.op('mul', [d, d], {}), axes, true);
      return [e.binary('div', d, e.withScalar('add', e.unary('sqrt', v), 1e-9))];
    },
  },
};
