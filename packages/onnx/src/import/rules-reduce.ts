// Lowerings of ONNX reductions (ReduceSum/Mean/Max/Min/L1/L2/LogSum/LogSumExp/SumSquare, ArgMax/
// ArgMin), the softmax family (Softmax, LogSoftmax, Hardmax) and CumSum to Kiln reductions.

import { elementAt, type ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';
import { reverse } from './rules-shape.js';

/** The reduced axes: attribute before `inputSince`, else the optional second input; empty means all (unless noop). */
function reduceAxes(c: NodeCtx, rank: number, inputSince: number): number[] | 'noop' {
  const raw = c.opset >= inputSince ? c.staticIntsOpt(1, 'axes') : c.ints('axes');
  if (raw === undefined || raw.length === 0) {
    if (c.int('noop_with_empty_axes', 0) !== 0) return 'noop';
    return Array.from({ length: rank }, (_, i) => i);
  }
  return raw.map((a) => c.e.axis(a, rank));
}

type Pre = (e: Emitter, x: ValueId) => ValueId;
function reduction(kind: 'reduce_sum' | 'reduce_max' | 'reduce_min' | 'mean', pre: Pre | undefined, post: Pre | undefined, inputSince = 18): OpRule {
  return {
    attrs: ['axes', 'keepdims', 'noop_with_empty_axes'],
    lower: (c) => {
      const e = c.e;
      let x = c.input(0);
      const axes = reduceAxes(c, e.rank(x), inputSince);
      if (axes === 'noop') return [x];
      const keep = c.int('keepdims', 1) !== 0;
      if (pre !== undefined) x = pre(e, x);
      const r = kind === 'mean' ? e.mean(x, axes, keep) : e.reduce(kind, x, axes, keep);
      return [post === undefined ? r : post(e, r)];
    },
  };
}
const square: Pre = (e, x) => e.op('mul', [x, x], {});

function logSumExp(e: Emitter, x: ValueId, axes: readonly number[], keep: boolean): ValueId {
  const m = e.reduce('reduce_max', x, axes, true);
  // A row of -inf would give NaN from -inf - -inf; use 0 there instead.
  const safe = e.select(e.unary('not', e.withScalar('eq', m, -Infinity)), m, e.full(m, 0));
  const s = e.reduce('reduce_sum', e.unary('exp', e.binary('sub', x, safe)), axes, true);
  const r = e.op('add', [e.unary('log', s), safe], {});
  return keep
    ? r
    : e.reshape(
        r,
        e.shape(x).filter((_, i) => !axes.includes(i)),
      );
}

function argReduce(kind: 'argmax' | 'argmin'): OpRule {
  return {
    attrs: ['axis', 'keepdims', 'select_last_index'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const s = e.shape(x);
      const axis = e.axis(c.int('axis', 0), s.length);
      const last = c.int('select_last_index', 0) !== 0;
      let r = e.op(kind, [last ? reverse(e, x, axis) : x], { axis });
      if (last) r = e.op('sub', [e.full(r, (s[axis] ?? 1) - 1), r], {});
      return [
        c.int('keepdims', 1) !== 0
          ? e.reshape(
              r,
              s.map((d, i) => (i === axis ? 1 : d)),
            )
          : r,
      ];
    },
  };
}

/** Softmax-family axis handling: before opset 13 the input is coerced to 2-D at `axis`. */
function softmaxLike(f: (e: Emitter, x: ValueId, axis: number) => ValueId): OpRule {
  return {
    attrs: ['axis'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const s = e.shape(x);
      if (c.opset >= 13) return [f(e, x, e.axis(c.int('axis', -1), s.length))];
      const ax = c.int('axis', 1);
      const a = ax < 0 ? ax + s.length : ax;
      if (a < 0 || a > s.length) throw c.error(`axis ${ax} out of range for rank ${s.length}`);
      const rows = s.slice(0, a).reduce((p, d) => p * d, 1);
      const flat = e.reshape(x, [rows, s.slice(a).reduce((p, d) => p * d, 1)]);
      return [e.reshape(f(e, flat, 1), s)];
    },
  };
}

export function softmax(e: Emitter, x: ValueId, axis: number): ValueId {
  const ex = e.unary('exp', e.binary('sub', x, e.reduce('reduce_max', x, [axis], true)));
  return e.binary('div', ex, e.reduce('reduce_sum', ex, [axis], true));
}
export function logSoftmax(e: Emitter, x: ValueId, axis: number): ValueId {
  return e.binary('sub', x, logSumExp(e, x, [axis], true));
}

export const reduceRules: Readonly<Record<string, OpRule>> = {
  ReduceSum: reduction('reduce_sum', undefined, undefined, 13),
  ReduceMean: reduction('mean', undefined, undefined),
  ReduceMax: reduction('reduce_max', undefined, undefined),
  ReduceMin: reduction('reduce_min', undefined, undefined),
  ReduceL1: reduction('reduce_sum', (e, x) => e.unary('abs', x), undefined),
  ReduceL2: reduction('reduce_sum', square, (e, x) => e.unary('sqrt', x)),
  ReduceSumSquare: reduction('reduce_sum', square, undefined),
  ReduceLogSum: reduction('reduce_sum', undefined, (e, x) => e.unary('log', x)),
  ReduceLogSumExp: {
    attrs: ['axes', 'keepdims', 'noop_with_empty_axes'],
    lower: (c) => {
      const x = c.input(0);
      const axes = reduceAxes(c, c.e.rank(x), 18);
      return [axes === 'noop' ? x : logSumExp(c.e, x, axes, c.int('keepdims', 1) !== 0)];
    },
  },
  ArgMax: argReduce('argmax'),
  ArgMin: argReduce('argmin'),
  Softmax: softmaxLike(softmax),
  LogSoftmax: softmaxLike(logSoftmax),
  Hardmax: softmaxLike((e, x, axis) => {
    const s = e.shape(x);
    const am = e.op('argmax', [x], { axis });
    const b = e.op('broadcast', [am], { dims: s.flatMap((_, i) => (i === axis ? [] : [i])), shape: [...s] });
    const pos = e.b.add('iota', [], { dim: axis }, { type: { dtype: 'i32', shape: [...s] } });
    return e.cast(e.op('eq', [b, pos], {}), e.dtype(x));
  }),
  CumSum: {
    attrs: ['exclusive', 'reverse'],
    lower: (c) => {
      const e = c.e;
      let x = c.input(0);
      const s = e.shape(x);
      const axis = e.axis(Math.trunc(c.staticScalar(1, 'axis')), s.length);
      const n = elementAt(s, axis, 'CumSum operand shape');
      const rev = c.int('reverse', 0) !== 0;
      const excl = c.int('exclusive', 0) !== 0;
      if (rev) x = reverse(e, x, axis);
      const win = s.map((_, i) => (i === axis ? n : 1));
      const one = s.map(() => 1);
      const pad = s.map((_, i): [number, number] => (i === axis ? [n - 1, 0] : [0, 0]));
      let r = e.op('reduce_window', [x], { kind: 'sum', window: win, stride: one, padding: pad });
      if (excl) {
        const low = s.map((_, i) => (i === axis ? 1 : 0));
        const high = s.map((_, i) => (i === axis ? -1 : 0));
        r = e.op('pad', [r], { low, high, interior: s.map(() => 0), value: 0 });
      }
      return [rev ? reverse(e, r, axis) : r];
    },
  },
};
