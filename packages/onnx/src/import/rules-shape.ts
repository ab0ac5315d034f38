// Lowerings of ONNX shape ops (Reshape, Flatten, (Un)Squeeze, Transpose, Concat, Split, Slice,
// Gather, Shape, Size, Expand, Tile, Pad, ConstantOfShape, Constant, Range) to Kiln layout ops,
// constants and gather.

import { elementAt, numel, type ValueId } from '@kiln/ir';
import { kilnDType, tensorNumbers } from '../tensor-data.js';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';

function axesOf(c: NodeCtx, attrName: string, inputIndex: number, inputSince: number, rank: number): number[] | undefined {
  const raw = c.opset >= inputSince ? c.staticIntsOpt(inputIndex, attrName) : c.ints(attrName);
  return raw?.map((a) => c.e.axis(a, rank, attrName));
}

/** Reverses v along axis (Kiln slices have positive strides, so a gather with n-1..0). */
export function reverse(e: Emitter, v: ValueId, axis: number): ValueId {
  const n = elementAt(e.shape(v), axis, 'reversed value shape (axis normalized by the caller)');
  const idx = e.constant(
    'i32',
    [n],
    Array.from({ length: n }, (_, i) => n - 1 - i),
  );
  return e.op('gather', [v, idx], { axis });
}

/** v[start:end:step] along one axis, with ONNX Slice clamping. */
export function sliceAxis(e: Emitter, v: ValueId, axis: number, start: number, end: number, step: number): ValueId {
  const shape = e.shape(v);
  const d = elementAt(shape, axis, 'sliced value shape (axis normalized by the caller)');
  if (step > 0) {
    const s = Math.min(Math.max(start < 0 ? start + d : start, 0), d);
    const l = Math.min(Math.max(end < 0 ? end + d : end, 0), d);
    const starts = shape.map(() => 0);
    const limits = [...shape];
    const strides = shape.map(() => 1);
    starts[axis] = s;
    limits[axis] = Math.max(s, l);
    strides[axis] = step;
    return e.op('slice', [v], { start: starts, limit: limits, stride: strides });
  }
  // Negative step: indices start, start+step, ... > end, clamped as ONNX specifies.
  const s = Math.min(Math.max(start < 0 ? start + d : start, -1), d - 1);
  const l = Math.min(Math.max(end < 0 ? end + d : end, -1), d - 1);
  const idx: number[] = [];
  for (let i = s; i > l; i += step) idx.push(i);
  return e.op('gather', [v, e.constant('i32', [idx.length], idx)], { axis });
}

export function gatherIndices(c: NodeCtx, data: ValueId, indices: ValueId, axis: number): ValueId {
  const e = c.e;
  const n = elementAt(e.shape(data), axis, 'gathered value shape (axis normalized by the caller)');
  // Negative indices count from the end (ONNX); Kiln's gather clamps, so normalize first.
  const idx = e.cast(indices, 'i32');
  return e.select(e.withScalar('lt', idx, 0), e.withScalar('add', idx, n), idx);
}

/** Flat index into a tensor of `shape` whose coordinate along `axis` comes from idx (same shape), the rest from the position. */
export function flatIndex(e: Emitter, idx: ValueId, shape: readonly number[], axis: number): ValueId {
  let flat: ValueId | undefined;
  let stride = 1;
  for (let j = shape.length - 1; j >= 0; j--) {
    const coord = j === axis ? idx : e.b.add('iota', [], { dim: j }, { type: { dtype: 'i32', shape: [...shape] } });
    const term = stride === 1 ? coord : e.withScalar('mul', coord, stride);
    flat = flat === undefined ? term : e.op('add', [flat, term], {});
    stride *= shape[j] ?? 1;
  }
  if (flat === undefined) throw e.error('indexing a rank-0 tensor');
  return flat;
}

function padValues(c: NodeCtx, rank: number): { pads: number[]; value: number; mode: string; axes: number[] } {
  const mode = c.string('mode', 'constant');
  let pads: number[];
  let value = 0;
  let axes = Array.from({ length: rank }, (_, i) => i);
  if (c.opset < 11) {
    pads = c.ints('pads') ?? c.ints('paddings') ?? [];
    value = c.float('value', 0);
  } else {
    pads = c.staticInts(1, 'pads');
    if (c.has(2)) value = c.staticScalar(2, 'constant_value');
    const ax = c.staticIntsOpt(3, 'axes');
    if (ax !== undefined) axes = ax.map((a) => c.e.axis(a, rank));
  }
  const full = new Array<number>(rank * 2).fill(0);
  const k = axes.length;
  if (pads.length !== 2 * k) throw c.error(`pads has ${pads.length} entries, expected ${2 * k}`);
  axes.forEach((a, i) => {
    full[a] = elementAt(pads, i, 'pads (length checked)');
    full[a + rank] = elementAt(pads, i + k, 'pads (length checked)');
  });
  return { pads: full, value, mode, axes };
}

function padIndex(mode: string, i: number, d: number): number {
  if (mode === 'edge') return Math.min(Math.max(i, 0), d - 1);
  // reflect (no edge repeat)
  if (d === 1) return 0;
  const period = 2 * (d - 1);
  let m = ((i % period) + period) % period;
  if (m >= d) m = period - m;
  return m;
}

export const shapeRules: Readonly<Record<string, OpRule>> = {
  Reshape: {
    attrs: ['allowzero'],
    lower: (c) => {
      const x = c.input(0);
      const inShape = c.e.shape(x);
      const spec = c.opset >= 5 ? c.staticInts(1, 'shape') : (c.ints('shape') ?? []);
      const allowzero = c.int('allowzero', 0) !== 0;
      if (!allowzero && spec.some((d, i) => d === 0 && i >= inShape.length)) throw c.error(`shape [${spec.join(',')}] copies (0) a dim that input [${inShape.join(',')}] does not have`);
      const out = spec.map((d, i) => (d === 0 && !allowzero ? elementAt(inShape, i, 'Reshape input shape (copied dims checked)') : d));
      const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const inferred = out.map((d) => (d === -1 ? (known === 0 ? 0 : numel(inShape) / known) : d));
      if (out.filter((d) => d === -1).length > 1 || inferred.some((d) => !Number.isInteger(d) || d < 0))
        throw c.error(`invalid shape [${spec.join(',')}] for input [${inShape.join(',')}]`);
      return [c.e.reshape(x, inferred)];
    },
  },
  Flatten: {
    attrs: ['axis'],
    lower: (c) => {
      const x = c.input(0);
      const s = c.e.shape(x);
      const ax = c.int('axis', 1);
      const a = ax < 0 ? ax + s.length : ax;
      if (a < 0 || a > s.length) throw c.error(`axis ${ax} out of range for rank ${s.length}`);
      return [c.e.reshape(x, [numel(s.slice(0, a)), numel(s.slice(a))])];
    },
  },
  Squeeze: {
    attrs: ['axes'],
    lower: (c) => {
      const x = c.input(0);
      const s = c.e.shape(x);
      const axes = axesOf(c, 'axes', 1, 13, s.length) ?? s.flatMap((d, i) => (d === 1 ? [i] : []));
      for (const a of axes) if (s[a] !== 1) throw c.error(`cannot squeeze axis ${a} of size ${s[a]}`);
      return [
        c.e.reshape(
          x,
          s.filter((_, i) => !axes.includes(i)),
        ),
      ];
    },
  },
  Unsqueeze: {
    attrs: ['axes'],
    lower: (c) => {
      const x = c.input(0);
      const s = c.e.shape(x);
      const raw = c.opset >= 13 ? c.staticInts(1, 'axes') : (c.ints('axes') ?? []);
      const r = s.length + raw.length;
      const axes = raw.map((a) => c.e.axis(a, r));
      const out: number[] = [];
      let j = 0;
      for (let i = 0; i < r; i++) out.push(axes.includes(i) ? 1 : (s[j++] ?? 1));
      return [c.e.reshape(x, out)];
    },
  },
  Transpose: {
    attrs: ['perm'],
    lower: (c) => {
      const x = c.input(0);
      const r = c.e.rank(x);
      const perm = c.ints('perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
      return [c.e.transpose(x, perm)];
    },
  },
  Concat: {
    attrs: ['axis'],
    lower: (c) => {
      const xs = c.inputs().filter((x) => c.e.shape(x).some((d) => d !== 0) || c.inputs().length === 1);
      const first = xs[0] ?? c.input(0);
      const axis = c.e.axis(c.intReq('axis'), c.e.rank(first));
      return [xs.length === 1 ? first : c.e.op('concat', xs, { axis })];
    },
  },
  Split: {
    attrs: ['axis', 'split', 'num_outputs'],
    lower: (c) => {
      const x = c.input(0);
      const s = c.e.shape(x);
      const axis = c.e.axis(c.int('axis', 0), s.length);
      const d = elementAt(s, axis, 'split operand shape');
      const n = c.node.outputs.length;
      let sizes = c.opset >= 13 ? c.staticIntsOpt(1, 'split') : c.ints('split');
      if (sizes === undefined) {
        const chunk = Math.ceil(d / n);
        sizes = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(chunk, d - i * chunk)));
      }
      let at = 0;
      return sizes.map((sz) => {
        const v = sliceAxis(c.e, x, axis, at, at + sz, 1);
        at += sz;
        return v;
      });
    },
  },
  Slice: {
    attrs: ['starts', 'ends', 'axes'],
    lower: (c) => {
      let x = c.input(0);
      const r = c.e.rank(x);
      const starts = c.opset >= 10 ? c.staticInts(1, 'starts') : (c.ints('starts') ?? []);
      const ends = c.opset >= 10 ? c.staticInts(2, 'ends') : (c.ints('ends') ?? []);
      const axes = (c.opset >= 10 ? c.staticIntsOpt(3, 'axes') : c.ints('axes')) ?? starts.map((_, i) => i);
      const steps = (c.opset >= 10 ? c.staticIntsOpt(4, 'steps') : undefined) ?? starts.map(() => 1);
      if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length)
        throw c.error(`starts, ends, axes and steps must have one entry per sliced axis, got ${starts.length}, ${ends.length}, ${axes.length} and ${steps.length}`);
      axes.forEach((a, i) => {
        const step = elementAt(steps, i, 'slice steps (length checked)');
        if (step === 0) throw c.error('slice step 0');
        const big = 2 ** 40;
        const clampBig = (v: number): number => Math.max(-big, Math.min(big, v));
        x = sliceAxis(c.e, x, c.e.axis(a, r), clampBig(elementAt(starts, i, 'slice starts')), clampBig(elementAt(ends, i, 'slice ends (length checked)')), step);
      });
      return [x];
    },
  },
  Gather: {
    attrs: ['axis'],
    lower: (c) => {
      const x = c.input(0);
      const axis = c.e.axis(c.int('axis', 0), c.e.rank(x));
      return [c.e.op('gather', [x, gatherIndices(c, x, c.input(1), axis)], { axis })];
    },
  },
  Shape: {
    attrs: ['start', 'end'],
    lower: (c) => {
      const s = c.e.shape(c.input(0));
      const r = s.length;
      const norm = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
      const part = s.slice(norm(c.int('start', 0)), norm(c.int('end', r)));
      return [c.e.constant('i32', [part.length], part)];
    },
  },
  Size: { attrs: [], lower: (c) => [c.e.constant('i32', [], numel(c.e.shape(c.input(0))))] },
  Expand: {
    attrs: [],
    lower: (c) => {
      const x = c.input(0);
      const target = c.staticInts(1, 'shape');
      return [c.e.broadcastTo(x, c.e.broadcastShape(c.e.shape(x), target))];
    },
  },
  Tile: {
    attrs: [],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const s = e.shape(x);
      const reps = c.staticInts(1, 'repeats');
      // [d0, d1] tiled by [r0, r1] = broadcast to [r0, d0, r1, d1], then reshape.
      const dims = s.map((_, i) => 2 * i + 1);
      const big = s.flatMap((d, i) => [reps[i] ?? 1, d]);
      return [
        e.reshape(
          e.op('broadcast', [x], { dims, shape: big }),
          s.map((d, i) => d * (reps[i] ?? 1)),
        ),
      ];
    },
  },
  Pad: {
    attrs: ['mode', 'pads', 'value', 'paddings'],
    lower: (c) => {
      const e = c.e;
      let x = c.input(0);
      const r = e.rank(x);
      const { pads, value, mode } = padValues(c, r);
      if (mode === 'constant') {
        return [e.op('pad', [x], { low: pads.slice(0, r), high: pads.slice(r), interior: new Array<number>(r).fill(0), value })];
      }
      if (mode !== 'edge' && mode !== 'reflect' && mode !== 'wrap') throw c.unsupported(`Pad mode "${mode}"`);
      for (let a = 0; a < r; a++) {
        const lo = elementAt(pads, a, 'pads (2 per dim)');
        const hi = elementAt(pads, a + r, 'pads (2 per dim)');
        if (lo === 0 && hi === 0) continue;
        const d = elementAt(e.shape(x), a, 'padded value shape');
        const idx: number[] = [];
        for (let i = -lo; i < d + hi; i++) idx.push(mode === 'wrap' ? ((i % d) + d) % d : padIndex(mode, i, d));
        x = e.op('gather', [x, e.constant('i32', [idx.length], idx)], { axis: a });
      }
      return [x];
    },
  },
  ConstantOfShape: {
    attrs: ['value'],
    lower: (c) => {
      const shape = c.staticInts(0, 'shape');
      const t = c.tensor('value');
      const dtype = t === undefined ? 'f32' : kilnDType(t.dataType, `${c.where} value`);
      // The spec's default is a float 0; a given value must be a one-element tensor.
      const values = t === undefined ? [0] : tensorNumbers(t, `${c.where} value`);
      const v = values[0];
      if (values.length !== 1 || v === undefined) throw c.error(`value must be a one-element tensor, got ${values.length} elements`);
      return [c.e.constant(dtype, shape, v)];
    },
  },
  Constant: {
    attrs: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'],
    lower: (c) => {
      const t = c.tensor('value');
      if (t !== undefined) {
        const dtype = kilnDType(t.dataType, `${c.where} value`);
        return [c.e.constant(dtype, t.dims, tensorNumbers(t, `${c.where} value`))];
      }
      if (c.hasAttr('value_float')) return [c.e.constant('f32', [], c.float('value_float', 0))];
      if (c.hasAttr('value_int')) return [c.e.constant('i32', [], c.int('value_int', 0))];
      const fs = c.floats('value_floats');
      if (fs !== undefined) return [c.e.constant('f32', [fs.length], fs)];
      const is = c.ints('value_ints');
      if (is !== undefined) return [c.e.constant('i32', [is.length], is)];
      throw c.unsupported('Constant without a tensor, float or int value');
    },
  },
  Range: {
    attrs: [],
    lower: (c) => {
      const start = c.static(0, 'start');
      const limit = c.staticScalar(1, 'limit');
      const delta = c.staticScalar(2, 'delta');
      const s = c.staticScalar(0, 'start');
      if (delta === 0 || ![s, limit, delta].every(Number.isFinite)) throw c.error(`start, limit and delta must be finite and delta non-zero, got ${s}, ${limit}, ${delta}`);
      const n = Math.max(Math.ceil((limit - s) / delta), 0);
      return [
        c.e.constant(
          start.dtype,
          [n],
          Array.from({ length: n }, (_, i) => s + i * delta),
        ),
      ];
    },
  },
};
