// Frontend: reductions over axes with keepdims — sum, mean, max, min, var, argmax/argmin — and
// logsumexp (max-shifted so it never overflows). Bool operands are counted (sum) or averaged (mean).

import { elementAt, numel, type ReduceOp } from '@kiln/ir';
import { normalizeAxis, normalizeAxes, type Axes } from './axes.js';
import { abs, add, cast, div, exp, log, lt, mul, stopGradient, sub, where } from './elementwise.js';
import { reshape } from './layout.js';
import type { Tensor } from './tensor.js';

/** The shape `x` has after reducing `axes` with keepdims. */
function keptShape(x: Tensor, axes: readonly number[]): number[] {
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reduceOp(op: ReduceOp, name: string, x: Tensor, axes: Axes, keepdims: boolean): Tensor {
  const ax = normalizeAxes(x, name, axes);
  if (ax.length === 0) return x;
  const r = x.trace.emit(op, [x], { axes: ax });
  return keepdims ? reshape(r, keptShape(x, ax)) : r;
}

export function sum(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduceOp('reduce_sum', 'sum', x.dtype === 'bool' ? cast(x, 'i32') : x, axes, keepdims);
}

export function max(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduceOp('reduce_max', 'max', x, axes, keepdims);
}

export function min(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return reduceOp('reduce_min', 'min', x, axes, keepdims);
}

/** Mean over axes; integer and bool operands are averaged in f32. */
export function mean(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return x.trace.atCaller(() => {
    const ax = normalizeAxes(x, 'mean', axes);
    const count = numel(ax.map((a) => elementAt(x.shape, a, 'shape')));
    const xf = x.dtype === 'f32' ? x : cast(x, 'f32');
    return div(sum(xf, ax, keepdims), count);
  });
}

/** Variance over axes (divisor n - ddof). */
export function variance(x: Tensor, axes?: Axes, keepdims = false, ddof = 0): Tensor {
  return x.trace.atCaller(() => {
    const ax = normalizeAxes(x, 'var', axes);
    const count = numel(ax.map((a) => elementAt(x.shape, a, 'shape')));
    const xf = x.dtype === 'f32' ? x : cast(x, 'f32');
    const centered = sub(xf, mean(xf, ax, true));
    return div(sum(mul(centered, centered), ax, keepdims), count - ddof);
  });
}

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number, keepdims: boolean): Tensor {
  const a = normalizeAxis(x, op, axis);
  const r = x.trace.emit(op, [x], { axis: a });
  return keepdims ? reshape(r, keptShape(x, [a])) : r;
}

/** Index (i32) of the first maximum along `axis` (default: the last). */
export const argmax = (x: Tensor, axis = -1, keepdims = false): Tensor => argReduce('argmax', x, axis, keepdims);
export const argmin = (x: Tensor, axis = -1, keepdims = false): Tensor => argReduce('argmin', x, axis, keepdims);

/**
 * log(sum(exp(x))) over axes, computed as m + log(sum(exp(x - m))) with m the (gradient-stopped)
 * max; a row whose max is ±inf shifts by 0 instead, so all -inf rows give -inf rather than NaN.
 */
export function logsumexp(x: Tensor, axes?: Axes, keepdims = false): Tensor {
  return x.trace.atCaller(() => {
    const ax = normalizeAxes(x, 'logsumexp', axes);
    const m = stopGradient(max(x, ax, true));
    const shift = where(lt(abs(m), Infinity), m, 0);
    const s = log(sum(exp(sub(x, shift)), ax, true));
    const out = add(s, shift);
    return keepdims
      ? out
      : reshape(
          out,
          x.shape.filter((_, i) => !ax.includes(i)),
        );
  });
}
