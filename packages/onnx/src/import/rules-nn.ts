// Lowerings of ONNX linear algebra and neural-network ops: MatMul (NumPy batching), Gemm, Conv
// and ConvTranspose (NCHW/OIHW transposed to Kiln's NHWC/HWIO), Max/Average/Global pooling, and
// the normalizations (BatchNormalization in inference, Instance-, Layer- and GroupNormalization).

import { elementAt, type ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';
import { bnTraining, dilatedMaxPool, maxPoolWithIndices } from './rules-extra.js';

export function matmul(e: Emitter, a0: ValueId, b0: ValueId): ValueId {
  let a = a0;
  let b = b0;
  const aVec = e.rank(a) === 1;
  const bVec = e.rank(b) === 1;
  if (aVec) a = e.reshape(a, [1, ...e.shape(a)]);
  if (bVec) b = e.reshape(b, [...e.shape(b), 1]);
  const sa = e.shape(a);
  const sb = e.shape(b);
  const batch = e.broadcastShape(sa.slice(0, -2), sb.slice(0, -2));
  a = e.broadcastTo(a, [...batch, ...sa.slice(-2)]);
  b = e.broadcastTo(b, [...batch, ...sb.slice(-2)]);
  let r = e.op('matmul', [a, b], {});
  const rs = e.shape(r);
  if (aVec) r = e.reshape(r, [...rs.slice(0, -2), ...rs.slice(-1)]);
  const rs2 = e.shape(r);
  if (bVec) r = e.reshape(r, rs2.slice(0, -1));
  return r;
}

const toChannelsLast = (r: number): number[] => [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2), 1];
const toChannelsFirst = (r: number): number[] => [0, r - 1, ...Array.from({ length: r - 2 }, (_, i) => i + 1)];

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: [number, number][];
}

/** kernel_shape/strides/dilations/pads/auto_pad for the spatial dims, as ONNX resolves them. */
function windowOf(c: NodeCtx, spatial: readonly number[], kernel: readonly number[], ceil: boolean): Window {
  const n = spatial.length;
  const strides = c.ints('strides') ?? new Array<number>(n).fill(1);
  const dilations = c.ints('dilations') ?? new Array<number>(n).fill(1);
  const autoPad = c.string('auto_pad', 'NOTSET');
  const p = c.ints('pads') ?? new Array<number>(2 * n).fill(0);
  if (kernel.length !== n || strides.length !== n || dilations.length !== n || p.length !== 2 * n)
    throw c.error(
      `kernel_shape, strides, dilations and pads need ${n}, ${n}, ${n} and ${2 * n} entries for ${n} spatial dims, got ${kernel.length}, ${strides.length}, ${dilations.length} and ${p.length}`,
    );
  const pads: [number, number][] = spatial.map((d, i) => {
    const k = (elementAt(kernel, i, 'kernel_shape (length checked)') - 1) * elementAt(dilations, i, 'dilations (length checked)') + 1;
    const s = elementAt(strides, i, 'strides (length checked)');
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const out = Math.ceil(d / s);
      const total = Math.max((out - 1) * s + k - d, 0);
      const small = Math.floor(total / 2);
      return autoPad === 'SAME_UPPER' ? [small, total - small] : [total - small, small];
    }
    if (autoPad === 'VALID') return [0, 0];
    if (autoPad !== 'NOTSET') throw c.unsupported(`auto_pad "${autoPad}"`);
    let hi = elementAt(p, i + n, 'pads (length checked)');
    if (ceil) {
      const lo = elementAt(p, i, 'pads (length checked)');
      const span = d + lo + hi - k;
      const out = Math.ceil(span / s) + 1;
      // ceil_mode: the last window must start inside the input or left padding.
      const outFixed = (out - 1) * s >= d + lo ? out - 1 : out;
      hi += Math.max((outFixed - 1) * s + k - (d + lo + hi), 0);
    }
    return [elementAt(p, i, 'pads (length checked)'), hi];
  });
  return { kernel: [...kernel], strides, dilations, pads };
}

function conv(c: NodeCtx): ValueId {
  const e = c.e;
  const x = c.input(0);
  const w = c.input(1);
  const xs = e.shape(x);
  const ws = e.shape(w);
  const r = xs.length;
  const group = c.int('group', 1);
  const win = windowOf(c, xs.slice(2), c.ints('kernel_shape') ?? ws.slice(2), false);
  const xl = e.transpose(x, toChannelsLast(r));
  // OIHW -> HWIO
  const wl = e.transpose(w, [...Array.from({ length: r - 2 }, (_, i) => i + 2), 1, 0]);
  let y = e.op('conv', [xl, wl], { stride: win.strides, padding: win.pads, lhs_dilation: win.strides.map(() => 1), rhs_dilation: win.dilations, groups: group });
  const b = c.opt(2);
  if (b !== undefined) y = e.binary('add', y, b);
  return e.transpose(y, toChannelsFirst(r));
}

function convTranspose(c: NodeCtx): ValueId {
  const e = c.e;
  const x = c.input(0);
  const w = c.input(1); // [C, O/group, *K]
  const xs = e.shape(x);
  const ws = e.shape(w);
  const r = xs.length;
  const n = r - 2;
  const group = c.int('group', 1);
  const kernel = c.ints('kernel_shape') ?? ws.slice(2);
  const strides = c.ints('strides') ?? new Array<number>(n).fill(1);
  const dil = c.ints('dilations') ?? new Array<number>(n).fill(1);
  const outPad = c.ints('output_padding') ?? new Array<number>(n).fill(0);
  const autoPad = c.string('auto_pad', 'NOTSET');
  let pads = c.ints('pads') ?? new Array<number>(2 * n).fill(0);
  const outShape = c.ints('output_shape');
  if (n < 1 || ws.length !== r) throw c.error(`input and weight must both have rank >= 3 and equal ranks, got ${r} and ${ws.length}`);
  if (kernel.length !== n || strides.length !== n || dil.length !== n || outPad.length !== n || pads.length !== 2 * n || (outShape !== undefined && outShape.length < n))
    throw c.error(`kernel_shape, strides, dilations, output_padding and pads need ${n}, ${n}, ${n}, ${n} and ${2 * n} entries (output_shape at least ${n}) for ${n} spatial dims`);
  if (outShape !== undefined || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    pads = new Array<number>(2 * n).fill(0);
    for (let i = 0; i < n; i++) {
      const d = elementAt(xs, i + 2, 'ConvTranspose input shape');
      const k = (elementAt(kernel, i, 'kernel_shape') - 1) * elementAt(dil, i, 'dilations') + 1;
      const stride = elementAt(strides, i, 'strides');
      const target = outShape !== undefined ? elementAt(outShape, outShape.length - n + i, 'output_shape') : d * stride;
      const total = stride * (d - 1) + elementAt(outPad, i, 'output_padding') + k - target;
      // A negative total asks for more output than the full transposed conv: zeros at the end.
      const half = Math.floor(Math.max(total, 0) / 2);
      const [lo, hi] = total < 0 ? [0, total] : autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
      pads[i] = lo;
      pads[i + n] = hi;
    }
  }
  const cin = elementAt(ws, 0, 'ConvTranspose weight shape');
  const og = elementAt(ws, 1, 'ConvTranspose weight shape');
  // Kernel [C, O/g, *K] -> flipped spatially, regrouped to HWIO [*K, C/g, O].
  let wk = w;
  for (let i = 0; i < n; i++) {
    const k = elementAt(ws, i + 2, 'ConvTranspose weight shape');
    wk = e.op(
      'gather',
      [
        wk,
        e.constant(
          'i32',
          [k],
          Array.from({ length: k }, (_, j) => k - 1 - j),
        ),
      ],
      { axis: i + 2 },
    );
  }
  const cg = cin / group;
  wk = e.reshape(wk, [group, cg, og, ...ws.slice(2)]); // [g, C/g, O/g, *K]
  wk = e.transpose(wk, [...Array.from({ length: n }, (_, i) => i + 3), 1, 0, 2]); // [*K, C/g, g, O/g]
  wk = e.reshape(wk, [...ws.slice(2), cg, group * og]);
  const padding = Array.from({ length: n }, (_, i): [number, number] => {
    const k = (elementAt(kernel, i, 'kernel_shape') - 1) * elementAt(dil, i, 'dilations') + 1;
    return [k - 1 - elementAt(pads, i, 'pads'), k - 1 - elementAt(pads, i + n, 'pads') + elementAt(outPad, i, 'output_padding')];
  });
  if (padding.some(([lo, hi]) => lo < 0 || hi < 0)) throw c.unsupported('ConvTranspose pads larger than the kernel');
  let y = e.op('conv', [e.transpose(x, toChannelsLast(r)), wk], { stride: new Array<number>(n).fill(1), padding, lhs_dilation: strides, rhs_dilation: dil, groups: group });
  const b = c.opt(2);
  if (b !== undefined) y = e.binary('add', y, b);
  return e.transpose(y, toChannelsFirst(r));
}

function pool(kind: 'max' | 'avg'): OpRule {
  return {
    attrs: ['kernel_shape', 'strides', 'pads', 'auto_pad', 'ceil_mode', 'count_include_pad', 'dilations', 'storage_order'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const xs = e.shape(x);
      const kernel = c.ints('kernel_shape') ?? [];
      const win = windowOf(c, xs.slice(2), kernel, c.int('ceil_mode', 0) !== 0);
      if (kind === 'max' && c.node.outputs.length > 1 && c.node.outputs[1] !== '')
        return maxPoolWithIndices(c, x, win.kernel, win.strides, win.dilations, win.pads, c.int('storage_order', 0) !== 0);
      if (win.dilations.some((d) => d !== 1)) {
        if (kind !== 'max') throw c.unsupported('AveragePool with dilations');
        return [dilatedMaxPool(c, x, win.kernel, win.strides, win.dilations, win.pads)];
      }
      const full = (sp: readonly number[], one: number): number[] => [one, one, ...sp];
      const attrs = { window: full(win.kernel, 1), stride: full(win.strides, 1), padding: [[0, 0] as [number, number], [0, 0] as [number, number], ...win.pads] };
      if (kind === 'max') return [e.op('reduce_window', [x], { kind: 'max', ...attrs })];
      const sum = e.op('reduce_window', [x], { kind: 'sum', ...attrs });
      const includePad = c.int('count_include_pad', 0) !== 0;
      const explicit = c.ints('pads') ?? [];
      // count_include_pad counts the explicit pads but not the ceil_mode extension.
      const ones = includePad
        ? e.op('pad', [e.full(x, 1)], {
            low: [0, 0, ...win.pads.map(([lo]) => lo)],
            high: [0, 0, ...win.pads.map((_, i) => explicit[i + win.pads.length] ?? elementAt(win.pads, i, 'window pads')[1])],
            interior: xs.map(() => 0),
            value: 1,
          })
        : e.full(x, 1);
      const countAttrs = includePad
        ? {
            ...attrs,
            padding: [[0, 0] as [number, number], [0, 0] as [number, number], ...win.pads.map((p, i): [number, number] => [0, p[1] - (explicit[i + win.pads.length] ?? p[1])])],
          }
        : attrs;
      const count = e.op('reduce_window', [ones], { kind: 'sum', ...countAttrs });
      return [e.op('div', [sum, count], {})];
    },
  };
}

function globalPool(kind: 'reduce_max' | 'mean'): OpRule {
  return {
    attrs: [],
    lower: (c) => {
      const x = c.input(0);
      const axes = e_spatial(c.e.rank(x));
      return [kind === 'mean' ? c.e.mean(x, axes, true) : c.e.reduce('reduce_max', x, axes, true)];
    },
  };
}
const e_spatial = (r: number): number[] => Array.from({ length: r - 2 }, (_, i) => i + 2);

/** x normalized over `axes` with scale/bias broadcast from shape `paramShape`. */
function normalize(e: Emitter, x: ValueId, axes: readonly number[], eps: number): { y: ValueId; mean: ValueId; invStd: ValueId } {
  const mean = e.mean(x, axes, true);
  const d = e.binary('sub', x, mean);
  const v = e.mean(e.op('mul', [d, d], {}), axes, true);
  const invStd = e.unary('rsqrt', e.withScalar('add', v, eps));
  return { y: e.binary('mul', d, invStd), mean, invStd };
}

/** A per-channel vector [C] reshaped to broadcast against NC... of rank r. */
const channel = (e: Emitter, v: ValueId, r: number): ValueId => e.reshape(v, [e.shape(v)[0] ?? 1, ...new Array<number>(r - 2).fill(1)]);

export const nnRules: Readonly<Record<string, OpRule>> = {
  MatMul: { attrs: [], lower: (c) => [matmul(c.e, c.input(0), c.input(1))] },
  Gemm: {
    attrs: ['alpha', 'beta', 'transA', 'transB', 'broadcast'],
    lower: (c) => {
      const e = c.e;
      let a = c.input(0);
      let b = c.input(1);
      if (c.int('transA', 0) !== 0) a = e.transpose(a, [1, 0]);
      if (c.int('transB', 0) !== 0) b = e.transpose(b, [1, 0]);
      let y = e.op('matmul', [a, b], {});
      const alpha = c.float('alpha', 1);
      if (alpha !== 1) y = e.withScalar('mul', y, alpha);
      const cc = c.opt(2);
      if (cc !== undefined) {
        const beta = c.float('beta', 1);
        y = e.binary('add', y, beta === 1 ? cc : e.withScalar('mul', cc, beta));
      }
      return [y];
    },
  },
  Conv: { attrs: ['kernel_shape', 'strides', 'pads', 'auto_pad', 'dilations', 'group'], lower: (c) => [conv(c)] },
  ConvTranspose: { attrs: ['kernel_shape', 'strides', 'pads', 'auto_pad', 'dilations', 'group', 'output_padding', 'output_shape'], lower: (c) => [convTranspose(c)] },
  MaxPool: pool('max'),
  AveragePool: pool('avg'),
  GlobalMaxPool: globalPool('reduce_max'),
  GlobalAveragePool: globalPool('mean'),
  BatchNormalization: {
    attrs: ['epsilon', 'momentum', 'training_mode', 'spatial', 'is_test', 'consumed_inputs'],
    lower: (c) => {
      const e = c.e;
      if (c.int('training_mode', 0) !== 0) return bnTraining(c);
      if (c.int('spatial', 1) !== 1) throw c.unsupported('BatchNormalization spatial=0');
      const x = c.input(0);
      const r = e.rank(x);
      const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => channel(e, c.input(i), r)) as [ValueId, ValueId, ValueId, ValueId];
      const inv = e.unary('rsqrt', e.withScalar('add', variance, c.float('epsilon', 1e-5)));
      const y = e.binary('add', e.binary('mul', e.binary('mul', e.binary('sub', x, mean), inv), scale), bias);
      return [y];
    },
  },
  InstanceNormalization: {
    attrs: ['epsilon'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const r = e.rank(x);
      const { y } = normalize(e, x, e_spatial(r), c.float('epsilon', 1e-5));
      return [e.binary('add', e.binary('mul', y, channel(e, c.input(1), r)), channel(e, c.input(2), r))];
    },
  },
  LayerNormalization: {
    attrs: ['axis', 'epsilon', 'stash_type'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const r = e.rank(x);
      const axis = e.axis(c.int('axis', -1), r);
      const axes = Array.from({ length: r - axis }, (_, i) => axis + i);
      const { y, mean, invStd } = normalize(e, x, axes, c.float('epsilon', 1e-5));
      let out = e.binary('mul', y, c.input(1));
      const bias = c.opt(2);
      if (bias !== undefined) out = e.binary('add', out, bias);
      return [out, mean, invStd];
    },
  },
  GroupNormalization: {
    attrs: ['epsilon', 'num_groups', 'stash_type'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const s = e.shape(x);
      const g = c.intReq('num_groups');
      const [n = 0, ch = 0] = s;
      const grouped = e.reshape(x, [n, g, (ch / g) * s.slice(2).reduce((a, b) => a * b, 1)]);
      const { y } = normalize(e, grouped, [2], c.float('epsilon', 1e-5));
      const back = e.reshape(y, s);
      const r = s.length;
      const scale = c.input(1);
      const bias = c.input(2);
      const per = (v: ValueId): ValueId =>
        e.shape(v)[0] === ch ? channel(e, v, r) : channel(e, e.reshape(e.op('broadcast', [e.reshape(v, [g, 1])], { dims: [0, 1], shape: [g, ch / g] }), [ch]), r);
      return [e.binary('add', e.binary('mul', back, per(scale)), per(bias))];
    },
  },
};
