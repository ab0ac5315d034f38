// Autodiff: VJP rules of the window ops. reduce_window sum → window-sum of the dilated, padded
// cotangent; reduce_window max → select_and_scatter_add; select_and_scatter_add (linear in its
// source) → per window, the cotangent read back at the window's first maximum, found tap by tap.

import { elementAt, numel, type AttrsOf, type ValueId } from '@kiln/ir';
import type { Emitter } from './emitter.js';
import { operandOf, type VjpFn } from './rule.js';

type WindowAttrs = Pick<AttrsOf<'reduce_window'>, 'window' | 'stride' | 'padding'>;

/**
 * Operand position i receives ct[o] for every (o, tap t) with o·stride + t − lo = i. Writing D for
 * ct dilated by the stride, that is the sum of D[i + lo − (w−1) .. i + lo]: a stride-1 window sum
 * over D padded by w−1−lo below (negative crops) and up to the operand size above.
 */
function windowSumTranspose(e: Emitter, a: WindowAttrs, ct: ValueId, xShape: readonly number[]): ValueId {
  const outShape = e.shapeOf(ct);
  const padLow = (d: number): number => elementAt(a.padding, d, 'reduce_window padding')[0];
  const low = a.window.map((w, d) => w - 1 - padLow(d));
  const high = xShape.map((size, d) => size + padLow(d) - (elementAt(outShape, d, 'reduce_window cotangent shape') - 1) * elementAt(a.stride, d, 'reduce_window stride') - 1);
  const dilatedPadded = e.pad(
    ct,
    low,
    high,
    a.stride.map((s) => s - 1),
  );
  const noPadding = xShape.map((): [number, number] => [0, 0]);
  if (a.window.every((w) => w === 1)) return dilatedPadded;
  return e.node('reduce_window', [dilatedPadded], { kind: 'sum', window: [...a.window], stride: xShape.map(() => 1), padding: noPadding });
}

export const reduceWindowVjp: VjpFn<'reduce_window'> = ({ e, node, ct }) => {
  const x = operandOf(node, 0);
  const { kind, window, stride, padding } = node.attrs;
  if (numel(node.type.shape) === 0) return [e.zerosLike(x)];
  switch (kind) {
    case 'sum':
      return [windowSumTranspose(e, node.attrs, ct, e.shapeOf(x))];
    case 'max':
      // Ties: the whole cotangent goes to the first maximum in row-major window order.
      return [e.node('select_and_scatter_add', [ct, x], { window: [...window], stride: [...stride], padding: padding.map((p): [number, number] => [p[0], p[1]]) })];
    default: {
      const never: never = kind;
      return never;
    }
  }
};

/**
 * out = Σ_windows src[w] placed at the first maximum of operand within window w, so the source
 * cotangent is ct read at that position: Σ_taps [tap is w's first max] · ct at the tap. Each tap's
 * view of the (padded) operand and cotangent is a strided slice; "first" is tracked with a running
 * `found` mask. Padding taps never win (a validity mask), matching the op, which skips padding.
 * Operand NaNs select nothing here (eq(NaN, NaN) is false), so such windows get a zero cotangent.
 * The operand's own cotangent is zero almost everywhere (the selection is piecewise constant).
 */
export const selectAndScatterAddVjp: VjpFn<'select_and_scatter_add'> = ({ e, node, ct, needs }) => {
  if (!needs[0]) return [undefined, undefined];
  const src = operandOf(node, 0);
  const x = operandOf(node, 1);
  const srcShape = e.shapeOf(src);
  if (numel(srcShape) === 0) return [e.zerosLike(src), undefined];
  const { window, stride, padding } = node.attrs;
  const rank = srcShape.length;
  const low = padding.map((p) => p[0]);
  const high = padding.map((p) => p[1]);
  const zeros = new Array<number>(rank).fill(0);
  const hasPadding = [...low, ...high].some((p) => p !== 0);
  const xPadded = e.pad(x, low, high, zeros);
  const ctPadded = e.pad(ct, low, high, zeros);
  const validPadded = hasPadding ? e.binary('gt', e.pad(e.full(1, x), low, high, zeros), e.zerosLike(xPadded)) : undefined;
  const windowMax = e.node('reduce_window', [x], { kind: 'max', window: [...window], stride: [...stride], padding: padding.map((p): [number, number] => [p[0], p[1]]) });
  let found: ValueId | undefined;
  let total: ValueId | undefined;
  for (const tap of tapsOf(window)) {
    const start = tap;
    const limit = tap.map((t, d) => t + (elementAt(srcShape, d, 'reduce_window result shape') - 1) * elementAt(stride, d, 'reduce_window stride') + 1);
    const view = (v: ValueId): ValueId => e.slice(v, start, limit, stride);
    let hit = e.binary('eq', view(xPadded), windowMax);
    if (validPadded !== undefined) hit = e.binary('and', hit, view(validPadded));
    const first = found === undefined ? hit : e.binary('and', hit, e.unary('not', found));
    found = found === undefined ? hit : e.binary('or', found, hit);
    const term = e.where(first, view(ctPadded));
    total = total === undefined ? term : e.add(total, term);
  }
  return [total ?? e.zerosLike(src), undefined];
};

/** Every window tap as a multi-index, row-major. */
function tapsOf(window: readonly number[]): number[][] {
  let taps: number[][] = [[]];
  for (const w of window) {
    const next: number[][] = [];
    for (const t of taps) for (let i = 0; i < w; i++) next.push([...t, i]);
    taps = next;
  }
  return taps;
}
