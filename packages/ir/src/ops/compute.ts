// Registry entries for the kernel "anchors": reductions, argmax/argmin, batched matmul, N-d conv
// (NHWC input, HWIO kernel), window reductions (pooling) and the max-pool gradient, gather and
// scatter_add (numpy take along one axis, and its transpose).

import { enumAttr } from '../attrs.js';
import { KilnError, fail } from '../errors.js';
import { formatShape, formatType, shapesEqual, type TensorType } from '../shape.js';
import { defineOp } from './def.js';
import { at, operand, requireAxis, requireDType, requireLength, requirePositive, windowedSize } from './checks.js';

/** What reduce_window computes over each window: its `kind` attribute (an enum: the parser and verifier check it). */
export const REDUCE_WINDOW_KINDS = ['max', 'sum'] as const;
export type ReduceWindowKind = (typeof REDUCE_WINDOW_KINDS)[number];

export function isReduceWindowKind(s: string): s is ReduceWindowKind {
  return (REDUCE_WINDOW_KINDS as readonly string[]).includes(s);
}

/** The kind of a verified reduce_window (the verifier rejected any other string). */
export function reduceWindowKind(attrs: { readonly kind: string }): ReduceWindowKind {
  if (!isReduceWindowKind(attrs.kind))
    throw new KilnError({ message: `internal: reduce_window kind "${attrs.kind}" got past the verifier (expected ${REDUCE_WINDOW_KINDS.join(' or ')})` });
  return attrs.kind;
}

function reduce(doc: string) {
  return defineOp({
    attrs: { axes: 'ints' },
    arity: 1,
    fusion: 'reduction',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      requireDType(x, 'numeric', 'operand');
      let prev = -1;
      for (const ax of a.axes) {
        requireAxis(ax, x.shape.length, 'axis');
        if (ax <= prev) fail(`axes [${a.axes.join(',')}] must be strictly increasing`);
        prev = ax;
      }
      return { dtype: x.dtype, shape: x.shape.filter((_, i) => !a.axes.includes(i)) };
    },
    doc,
  });
}

function argReduce(doc: string) {
  return defineOp({
    attrs: { axis: 'int' },
    arity: 1,
    fusion: 'reduction',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      requireDType(x, 'numeric', 'operand');
      requireAxis(a.axis, x.shape.length, 'axis');
      if (at(x.shape, a.axis, 'x.shape') === 0) fail(`cannot take ${doc.split(' ')[0]} over empty axis ${a.axis} of ${formatType(x)}`);
      return { dtype: 'i32', shape: x.shape.filter((_, i) => i !== a.axis) };
    },
    doc,
  });
}

function windowed(x: TensorType, window: readonly number[], stride: readonly number[], padding: readonly (readonly [number, number])[]): number[] {
  const r = x.shape.length;
  requireLength(window, r, 'window');
  requireLength(stride, r, 'stride');
  requireLength(padding, r, 'padding');
  requirePositive(window, 'window');
  requirePositive(stride, 'stride');
  return x.shape.map((d, i) => {
    const [lo, hi] = at(padding, i, 'padding');
    if (lo < 0 || hi < 0) fail('padding must be non-negative');
    return windowedSize(d, lo, hi, at(window, i, 'window'), at(stride, i, 'stride'));
  });
}

export const computeOps = {
  reduce_sum: reduce('Sum over axes (removed from the shape).'),
  reduce_max: reduce('Maximum over axes (-inf for empty).'),
  reduce_min: reduce('Minimum over axes (+inf for empty).'),
  argmax: argReduce('argmax along axis: index (i32) of the first maximum.'),
  argmin: argReduce('argmin along axis: index (i32) of the first minimum.'),

  matmul: defineOp({
    attrs: {},
    arity: 2,
    fusion: 'matmul',
    typeFromAnnotation: false,
    infer: (ops) => {
      const a = operand(ops, 0);
      const b = operand(ops, 1);
      requireDType(a, 'numeric', 'lhs');
      if (a.dtype !== b.dtype) fail(`operand dtypes differ: ${formatType(a)} and ${formatType(b)}`);
      const r = a.shape.length;
      if (r < 2 || b.shape.length !== r) fail(`operands must have equal rank >= 2, got ${formatType(a)} and ${formatType(b)}`);
      if (!shapesEqual(a.shape.slice(0, r - 2), b.shape.slice(0, r - 2))) fail(`batch dims differ: ${formatType(a)} and ${formatType(b)}`);
      const k = a.shape[r - 1];
      if (k !== b.shape[r - 2]) fail(`contracting dims differ: ${formatType(a)} @ ${formatType(b)} (${k} vs ${b.shape[r - 2]})`);
      return { dtype: a.dtype, shape: [...a.shape.slice(0, r - 1), at(b.shape, r - 1, 'b.shape')] };
    },
    doc: 'Batched matrix product: [...,m,k] @ [...,k,n] -> [...,m,n].',
  }),

  conv: defineOp({
    attrs: { stride: 'ints', padding: 'pairs', lhs_dilation: 'ints', rhs_dilation: 'ints', groups: 'int' },
    arity: 2,
    fusion: 'conv',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      const w = operand(ops, 1);
      requireDType(x, 'float', 'input');
      requireDType(w, 'float', 'kernel');
      const r = x.shape.length;
      const sp = r - 2;
      if (sp < 1 || w.shape.length !== r) fail(`input [N,*spatial,C] and kernel [*window,C/groups,O] need equal rank >= 3, got ${formatType(x)} and ${formatType(w)}`);
      requireLength(a.stride, sp, 'stride');
      requireLength(a.padding, sp, 'padding');
      requireLength(a.lhs_dilation, sp, 'lhs_dilation');
      requireLength(a.rhs_dilation, sp, 'rhs_dilation');
      requirePositive(a.stride, 'stride');
      requirePositive(a.lhs_dilation, 'lhs_dilation');
      requirePositive(a.rhs_dilation, 'rhs_dilation');
      requirePositive([a.groups], 'groups');
      const c = at(x.shape, r - 1, 'x.shape');
      const cg = at(w.shape, r - 2, 'w.shape');
      const o = at(w.shape, r - 1, 'w.shape');
      if (c !== cg * a.groups) fail(`input channels ${c} != kernel in-channels ${cg} x groups ${a.groups}`);
      if (o % a.groups !== 0) fail(`output channels ${o} not divisible by groups ${a.groups}`);
      const spatial = Array.from({ length: sp }, (_, i) => {
        const s = at(x.shape, i + 1, 'x.shape');
        const k = at(w.shape, i, 'w.shape');
        const [lo, hi] = at(a.padding, i, 'a.padding');
        const dilIn = s === 0 ? 0 : (s - 1) * at(a.lhs_dilation, i, 'a.lhs_dilation') + 1;
        const dilK = k === 0 ? 0 : (k - 1) * at(a.rhs_dilation, i, 'a.rhs_dilation') + 1;
        return windowedSize(dilIn, lo, hi, dilK, at(a.stride, i, 'a.stride'));
      });
      return { dtype: x.dtype, shape: [at(x.shape, 0, 'x.shape'), ...spatial, o] };
    },
    doc: 'N-d convolution (cross-correlation), input [N,*S,C], kernel [*K,C/groups,O]; stride, padding, input and kernel dilation, groups.',
  }),

  reduce_window: defineOp({
    attrs: { kind: enumAttr(REDUCE_WINDOW_KINDS), window: 'ints', stride: 'ints', padding: 'pairs' },
    arity: 1,
    fusion: 'window',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      requireDType(x, 'numeric', 'operand');
      return { dtype: x.dtype, shape: windowed(x, a.window, a.stride, a.padding) };
    },
    doc: 'Pooling: max or sum over each window (per-dim window/stride/padding; pads are -inf for max, 0 for sum).',
  }),
  select_and_scatter_add: defineOp({
    attrs: { window: 'ints', stride: 'ints', padding: 'pairs' },
    arity: 2,
    fusion: 'window',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const src = operand(ops, 0);
      const x = operand(ops, 1);
      requireDType(x, 'float', 'operand');
      const out = windowed(x, a.window, a.stride, a.padding);
      if (src.dtype !== x.dtype || !shapesEqual(src.shape, out)) fail(`source ${formatType(src)} must be ${x.dtype}${formatShape(out)}, the pooled shape of ${formatType(x)}`);
      return x;
    },
    doc: 'Max-pool gradient: each window adds its source value at the position of its first maximum in operand.',
  }),

  gather: defineOp({
    attrs: { axis: 'int' },
    arity: 2,
    fusion: 'gather',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const t = operand(ops, 0);
      const idx = operand(ops, 1);
      requireDType(idx, 'int', 'indices');
      requireAxis(a.axis, t.shape.length, 'axis');
      return { dtype: t.dtype, shape: [...t.shape.slice(0, a.axis), ...idx.shape, ...t.shape.slice(a.axis + 1)] };
    },
    doc: 'take(table, indices, axis): out[..., i..., ...] = table[..., indices[i...], ...]; out-of-range indices clamp.',
  }),
  scatter_add: defineOp({
    attrs: { axis: 'int' },
    arity: 3,
    fusion: 'scatter',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const t = operand(ops, 0);
      const idx = operand(ops, 1);
      const upd = operand(ops, 2);
      requireDType(t, 'numeric', 'operand');
      requireDType(idx, 'int', 'indices');
      requireAxis(a.axis, t.shape.length, 'axis');
      const want = [...t.shape.slice(0, a.axis), ...idx.shape, ...t.shape.slice(a.axis + 1)];
      if (upd.dtype !== t.dtype || !shapesEqual(upd.shape, want))
        fail(`updates ${formatType(upd)} must be ${t.dtype}${formatShape(want)} for operand ${formatType(t)} and indices ${formatType(idx)}`);
      return t;
    },
    doc: 'Transpose of gather: operand plus updates summed into positions indices along axis; out-of-range indices are dropped.',
  }),
};
