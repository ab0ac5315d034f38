// Frontend: convolution and pooling composites over NHWC tensors — conv (N-d), conv2d, conv1d
// (with causal padding), maxPool2d/avgPool2d via reduce_window. Kernels are HWIO: [*K, C/groups, O].

import { elementAt, formatShape, windowedSize } from '@kiln/ir';
import { div } from './elementwise.js';
import type { Tensor } from './tensor.js';

export type Padding = 'valid' | 'same' | 'causal' | readonly (readonly [number, number])[];

export interface ConvOptions {
  readonly stride?: number | readonly number[];
  readonly padding?: Padding;
  readonly dilation?: number | readonly number[];
  readonly groups?: number;
}

function perDim(x: Tensor, op: string, v: number | readonly number[] | undefined, n: number, what: string): number[] {
  if (v === undefined) return new Array<number>(n).fill(1);
  const list = typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];
  if (list.length !== n || list.some((d) => !Number.isInteger(d) || d < 1)) throw x.trace.error(op, `${what} must be a positive integer or ${n} of them, got ${JSON.stringify(v)}`, [x]);
  return list;
}

/**
 * Explicit [low, high] padding per spatial dim. 'same' keeps ceil(size/stride) outputs with the
 * extra element at the end (TensorFlow's rule); 'causal' pads only at the start (1-D sequences).
 */
export function resolvePadding(x: Tensor, op: string, padding: Padding, sizes: readonly number[], windows: readonly number[], strides: readonly number[]): [number, number][] {
  if (padding === 'valid') return sizes.map(() => [0, 0]);
  if (padding === 'same')
    return sizes.map((s, i) => {
      // perDim gave one stride and window per spatial dim.
      const stride = elementAt(strides, i, `${op} strides`);
      const out = Math.ceil(s / stride);
      const total = Math.max((out - 1) * stride + elementAt(windows, i, `${op} windows`) - s, 0);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  if (padding === 'causal') {
    if (sizes.length !== 1) throw x.trace.error(op, `causal padding is for 1-D convolutions, got ${sizes.length} spatial dims`, [x]);
    return [[elementAt(windows, 0, `${op} windows`) - 1, 0]];
  }
  if (padding.length !== sizes.length || padding.some((p) => p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < 0)))
    throw x.trace.error(op, `padding must be 'valid', 'same' or one non-negative [low, high] pair per spatial dim (${sizes.length})`, [x]);
  return padding.map((p) => [p[0], p[1]]);
}

/** N-d convolution: x [N, *S, C], w [*K, C/groups, O] → [N, *S', O]. */
export function conv(x: Tensor, w: Tensor, opts: ConvOptions = {}, op = 'conv'): Tensor {
  const ctx = x.trace;
  ctx.checkOwn(op, w);
  const sp = x.rank - 2;
  if (sp < 1 || w.rank !== x.rank)
    throw ctx.error(op, `input [N,*spatial,C] and kernel [*window,C/groups,O] need equal rank >= 3, got ${formatShape(x.shape)} and ${formatShape(w.shape)}`, [x, w]);
  const stride = perDim(x, op, opts.stride, sp, 'stride');
  const dilation = perDim(x, op, opts.dilation, sp, 'dilation');
  const windows = w.shape.slice(0, sp).map((k, i) => (k - 1) * elementAt(dilation, i, 'conv dilation') + 1);
  const padding = resolvePadding(x, op, opts.padding ?? 'valid', x.shape.slice(1, -1), windows, stride);
  return ctx.emit('conv', [x, w], { stride, padding, lhs_dilation: stride.map(() => 1), rhs_dilation: dilation, groups: opts.groups ?? 1 });
}

function requireRank(x: Tensor, op: string, rank: number, layout: string): void {
  if (x.rank !== rank) throw x.trace.error(op, `input must be ${layout} (rank ${rank}), got ${formatShape(x.shape)}`, [x]);
}

/** 2-D convolution, x [N,H,W,C], w [KH,KW,C/groups,O]. */
export function conv2d(x: Tensor, w: Tensor, opts: ConvOptions = {}): Tensor {
  requireRank(x, 'conv2d', 4, 'NHWC');
  return x.trace.atCaller(() => conv(x, w, opts, 'conv2d'));
}

/** 1-D convolution, x [N,L,C], w [K,C/groups,O]; padding 'causal' sees only the past. */
export function conv1d(x: Tensor, w: Tensor, opts: ConvOptions = {}): Tensor {
  requireRank(x, 'conv1d', 3, 'NLC');
  return x.trace.atCaller(() => conv(x, w, opts, 'conv1d'));
}

export interface PoolOptions {
  /** Default: the window (non-overlapping). */
  readonly stride?: number | readonly [number, number] | undefined;
  readonly padding?: 'valid' | 'same' | readonly (readonly [number, number])[] | undefined;
}

function pool2d(kind: 'max' | 'sum', op: string, x: Tensor, window: number | readonly [number, number], opts: PoolOptions): Tensor {
  requireRank(x, op, 4, 'NHWC');
  const win = perDim(x, op, window, 2, 'window');
  const stride = perDim(x, op, opts.stride ?? win, 2, 'stride');
  const padding = resolvePadding(x, op, opts.padding ?? 'valid', x.shape.slice(1, 3), win, stride);
  return x.trace.emit('reduce_window', [x], {
    kind,
    window: [1, ...win, 1],
    stride: [1, ...stride, 1],
    padding: [[0, 0], ...padding, [0, 0]],
  });
}

/** Max over each window of x [N,H,W,C] (padding counts as -inf). */
export function maxPool2d(x: Tensor, window: number | readonly [number, number], opts: PoolOptions = {}): Tensor {
  return x.trace.atCaller(() => pool2d('max', 'maxPool2d', x, window, opts));
}

/** Mean over each window of x [N,H,W,C]; padded positions are excluded from the count. */
export function avgPool2d(x: Tensor, window: number | readonly [number, number], opts: PoolOptions = {}): Tensor {
  const ctx = x.trace;
  return ctx.atCaller(() => {
    const sums = pool2d('sum', 'avgPool2d', x, window, opts);
    const win = perDim(x, 'avgPool2d', window, 2, 'window');
    const stride = perDim(x, 'avgPool2d', opts.stride ?? win, 2, 'stride');
    const padding = resolvePadding(x, 'avgPool2d', opts.padding ?? 'valid', x.shape.slice(1, 3), win, stride);
    // pool2d above checked x is [N,H,W,C]; perDim gave two windows and strides.
    const dim = (xs: readonly number[], i: number, what: string): number => elementAt(xs, i, `avgPool2d ${what}`);
    if (padding.every(([lo, hi]) => lo === 0 && hi === 0)) return div(sums, dim(win, 0, 'window') * dim(win, 1, 'window'));
    // Window element counts, computed on the host: padded positions do not count.
    const [oh, ow] = [0, 1].map((i) => windowedSize(dim(x.shape, i + 1, 'input shape'), padding[i]![0], padding[i]![1], dim(win, i, 'window'), dim(stride, i, 'stride')));
    const counts: number[] = [];
    for (let r = 0; r < oh!; r++)
      for (let c = 0; c < ow!; c++) {
        const span = (o: number, i: number): number => {
          const start = o * dim(stride, i, 'stride') - padding[i]![0];
          return Math.max(0, Math.min(start + dim(win, i, 'window'), dim(x.shape, i + 1, 'input shape')) - Math.max(start, 0));
        };
        counts.push(span(r, 0) * span(c, 1));
      }
    const countT = ctx.constant(counts, { dtype: 'f32', shape: [1, oh!, ow!, 1] });
    return div(sums, countT);
  });
}
