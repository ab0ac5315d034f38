// Lowerings of the index ops built on flat indices: GatherND, ScatterElements/Scatter and
// ScatterND (reduction none or add through Kiln's scatter_add; mul, min and max on indices known
// at import), and the static window generators HannWindow, HammingWindow and BlackmanWindow.

import { elementAt, numel, type ValueId } from '@kiln/ir';
import { kilnDType } from '../tensor-data.js';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';

function normalized(e: Emitter, idx: ValueId, n: number): ValueId {
  const i = e.cast(idx, 'i32');
  return e.select(e.withScalar('lt', i, 0), e.withScalar('add', i, n), i);
}

/** Flat row index of the last-dim index tuples of `idx` [..., k] into the first k dims of `shape`. */
function tupleIndex(e: Emitter, idx: ValueId, shape: readonly number[]): ValueId {
  const is = e.shape(idx);
  const k = elementAt(is, is.length - 1, 'index tuple shape (rank >= 1 checked by the caller)');
  const lead = is.slice(0, -1);
  let flat: ValueId | undefined;
  let stride = 1;
  for (let j = k - 1; j >= 0; j--) {
    const start = [...lead.map(() => 0), j];
    const limit = [...lead, j + 1];
    const col = e.reshape(e.op('slice', [idx], { start, limit, stride: is.map(() => 1) }), lead);
    const term = e.withScalar('mul', normalized(e, col, shape[j] ?? 1), stride);
    flat = flat === undefined ? term : e.op('add', [flat, term], {});
    stride *= shape[j] ?? 1;
  }
  return flat ?? e.constant('i32', lead, 0);
}

/** Scatter `updates` into rows `rows` of data2d [R, ...]: reduction none (replace) or add. */
function scatterRows(c: NodeCtx, data2d: ValueId, rows: ValueId, updates: ValueId): ValueId {
  const e = c.e;
  const reduction = c.string('reduction', 'none');
  if (reduction === 'add') return e.op('scatter_add', [data2d, rows, updates], { axis: 0 });
  if (reduction !== 'none') throw c.unsupported(`scatter reduction "${reduction}"`);
  // Replace: clear the hit positions, then add (ONNX leaves duplicate indices undefined).
  const isF = e.dtype(data2d) === 'f32';
  const zeros = e.full(data2d, 0);
  const ones = e.full(updates, 1);
  const hits = e.op('scatter_add', [zeros, rows, isF ? ones : ones], { axis: 0 });
  const keep = e.withScalar('eq', hits, 0);
  const cleared = e.select(keep, data2d, zeros);
  return e.op('scatter_add', [cleared, rows, updates], { axis: 0 });
}

const IDENTITY: Readonly<Record<string, number>> = { mul: 1, min: Infinity, max: -Infinity };

/**
 * ScatterND with reduction mul, min or max, its indices known at import: the updates hitting each
 * row are grouped on the host; round t gathers every row's t-th update (or the reduction's identity)
 * and combines it into the data, so duplicates fold in exactly, in any order.
 */
function scatterNdReduce(c: NodeCtx, x: ValueId, reduction: string): ValueId {
  const e = c.e;
  const identity = IDENTITY[reduction];
  if (identity === undefined) throw c.unsupported(`scatter reduction "${reduction}"`);
  const xs = e.shape(x);
  const idx = c.static(1, 'indices');
  const k = idx.dims[idx.dims.length - 1];
  if (k === undefined || k > xs.length) throw c.error(`indices [${idx.dims.join(',')}] do not index data of rank ${xs.length}`);
  const lead = xs.slice(0, k);
  const rest = xs.slice(k);
  const m = numel(idx.dims.slice(0, -1));
  const rowCount = numel(lead);
  const groups: number[][] = Array.from({ length: rowCount }, () => []);
  for (let j = 0; j < m; j++) {
    let flat = 0;
    for (let d = 0; d < k; d++) {
      const size = lead[d] ?? 1;
      const raw = Math.trunc(idx.values[j * k + d] ?? NaN);
      const at = raw < 0 ? raw + size : raw;
      if (!(at >= 0 && at < size)) throw c.error(`index ${raw} of update #${j} is out of range for dim ${d} of size ${size}`);
      flat = flat * size + at;
    }
    groups[flat]?.push(j);
  }
  const upd = e.reshape(c.input(2), [m, ...rest]);
  // Row m of the table is the identity, for rows with fewer hits than the round.
  const table = e.op('concat', [upd, e.constant(e.dtype(upd), [1, ...rest], identity)], { axis: 0 });
  let out = e.reshape(x, [rowCount, ...rest]);
  const rounds = Math.max(0, ...groups.map((g) => g.length));
  for (let t = 0; t < rounds; t++) {
    const pick = e.constant(
      'i32',
      [rowCount],
      groups.map((g) => g[t] ?? m),
    );
    out = e.op(reduction === 'mul' ? 'mul' : reduction === 'min' ? 'min' : 'max', [out, e.op('gather', [table, pick], { axis: 0 })], {});
  }
  return e.reshape(out, xs);
}

function scatterElements(c: NodeCtx): ValueId {
  const e = c.e;
  const x = c.input(0);
  const xs = e.shape(x);
  const axis = e.axis(c.int('axis', 0), xs.length);
  const idx = normalized(e, c.input(1), xs[axis] ?? 1);
  const is = e.shape(idx);
  let flat: ValueId | undefined;
  let stride = 1;
  for (let j = xs.length - 1; j >= 0; j--) {
    const coord = j === axis ? idx : e.b.add('iota', [], { dim: j }, { type: { dtype: 'i32', shape: [...is] } });
    const term = stride === 1 ? coord : e.withScalar('mul', coord, stride);
    flat = flat === undefined ? term : e.op('add', [flat, term], {});
    stride *= xs[j] ?? 1;
  }
  if (flat === undefined) throw c.error('scatter on a rank-0 tensor');
  const n = numel(is);
  const out = scatterRows(c, e.reshape(x, [numel(xs)]), e.reshape(flat, [n]), e.reshape(c.input(2), [n]));
  return e.reshape(out, xs);
}

function window(c: NodeCtx, coeffs: readonly number[]): ValueId {
  const n = Math.trunc(c.staticScalar(0, 'size'));
  const periodic = c.int('periodic', 1) !== 0;
  const denom = periodic ? n : n - 1;
  const vals = Array.from({ length: n }, (_, i) => coeffs.reduce((acc, a, k) => acc + (k % 2 === 0 ? a : -a) * Math.cos((2 * Math.PI * k * i) / denom), 0));
  const dtype = kilnDType(c.int('output_datatype', 1), `${c.where} output_datatype`);
  return c.e.constant(dtype, [n], vals);
}

export const scatterRules: Readonly<Record<string, OpRule>> = {
  GatherND: {
    attrs: ['batch_dims'],
    lower: (c) => {
      const e = c.e;
      const bd = c.int('batch_dims', 0);
      const x = c.input(0);
      const xs = e.shape(x);
      const idx = c.input(1);
      const is = e.shape(idx);
      const k = is[is.length - 1];
      if (k === undefined || bd < 0 || bd + k > xs.length) throw c.error(`indices [${is.join(',')}] with batch_dims ${bd} do not index data of rank ${xs.length}`);
      const rest = xs.slice(bd + k);
      const per = numel(xs.slice(bd, bd + k));
      const rows = e.reshape(x, [numel(xs.slice(0, bd)) * per, ...rest]);
      let flat = tupleIndex(e, idx, xs.slice(bd));
      // batch_dims: the leading batch coordinates pick the block of rows each index tuple reads.
      let stride = per;
      for (let j = bd - 1; j >= 0; j--) {
        const b = e.b.add('iota', [], { dim: j }, { type: { dtype: 'i32', shape: is.slice(0, -1) } });
        flat = e.op('add', [flat, e.withScalar('mul', b, stride)], {});
        stride *= xs[j] ?? 1;
      }
      const g = e.op('gather', [rows, flat], { axis: 0 });
      return [e.reshape(g, [...is.slice(0, -1), ...rest])];
    },
  },
  ScatterND: {
    attrs: ['reduction'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const reduction = c.string('reduction', 'none');
      if (reduction !== 'none' && reduction !== 'add') return [scatterNdReduce(c, x, reduction)];
      const xs = e.shape(x);
      const idx = c.input(1);
      const is = e.shape(idx);
      const k = is[is.length - 1];
      if (k === undefined || k > xs.length) throw c.error(`indices [${is.join(',')}] do not index data of rank ${xs.length}`);
      const rest = xs.slice(k);
      const m = numel(is.slice(0, -1));
      const rows = e.reshape(x, [numel(xs.slice(0, k)), ...rest]);
      const flatIdx = e.reshape(tupleIndex(e, idx, xs), [m]);
      const upd = e.reshape(c.input(2), [m, ...rest]);
      return [e.reshape(scatterRows(c, rows, flatIdx, upd), xs)];
    },
  },
  ScatterElements: { attrs: ['axis', 'reduction'], lower: (c) => [scatterElements(c)] },
  Scatter: { attrs: ['axis'], lower: (c) => [scatterElements(c)] },
  MelWeightMatrix: {
    attrs: ['output_datatype'],
    lower: (c) => {
      const [bins, dftLen, rate] = [0, 1, 2].map((i) => Math.trunc(c.staticScalar(i, 'MelWeightMatrix input'))) as [number, number, number];
      const lo = c.staticScalar(3, 'lower_edge_hertz');
      const hi = c.staticScalar(4, 'upper_edge_hertz');
      const specBins = Math.floor(dftLen / 2) + 1;
      const mel = (f: number): number => 2595 * Math.log10(1 + f / 700);
      const step = (mel(hi) - mel(lo)) / (bins + 2);
      const freq = Array.from({ length: bins + 2 }, (_, i) => Math.trunc(Math.floor(((dftLen + 1) * (700 * (10 ** ((i * step + mel(lo)) / 2595) - 1))) / rate)));
      const out = new Array<number>(specBins * bins).fill(0);
      for (let i = 0; i < bins; i++) {
        const [l = 0, ctr = 0, h = 0] = [freq[i], freq[i + 1], freq[i + 2]];
        if (ctr - l === 0) out[ctr * bins + i] = 1;
        else for (let j = l; j <= ctr; j++) out[j * bins + i] = (j - l) / (ctr - l);
        if (h - ctr > 0) for (let j = ctr; j < h; j++) out[j * bins + i] = (h - j) / (h - ctr);
      }
      return [c.e.constant(kilnDType(c.int('output_datatype', 1), `${c.where} output_datatype`), [specBins, bins], out)];
    },
  },
  HannWindow: { attrs: ['periodic', 'output_datatype'], lower: (c) => [window(c, [0.5, 0.5])] },
  HammingWindow: { attrs: ['periodic', 'output_datatype'], lower: (c) => [window(c, [25 / 46, 21 / 46])] },
  BlackmanWindow: { attrs: ['periodic', 'output_datatype'], lower: (c) => [window(c, [0.42, 0.5, 0.08])] },
};
