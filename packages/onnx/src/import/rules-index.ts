// Lowerings of ONNX index-building ops: GatherElements, ReverseSequence, Trilu, EyeLike, OneHot,
// DepthToSpace/SpaceToDepth and Dropout in inference, from iota, comparisons, gather and layout ops.

import { elementAt, numel, type ValueId } from '@kiln/ir';
import { kilnDType } from '../tensor-data.js';
import type { OpRule } from './node-ctx.js';
import { flatIndex, gatherIndices } from './rules-shape.js';

export const indexRules: Readonly<Record<string, OpRule>> = {
  GatherElements: {
    attrs: ['axis'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const xs = e.shape(x);
      const axis = e.axis(c.int('axis', 0), xs.length);
      const idx = gatherIndices(c, x, c.input(1), axis);
      const is = e.shape(idx);
      // Flat index into x: the index along axis, the output's own coordinate elsewhere.
      let flat: ValueId | undefined;
      let stride = 1;
      for (let j = xs.length - 1; j >= 0; j--) {
        const coord = j === axis ? idx : e.b.add('iota', [], { dim: j }, { type: { dtype: 'i32', shape: [...is] } });
        const term = stride === 1 ? coord : e.withScalar('mul', coord, stride);
        flat = flat === undefined ? term : e.op('add', [flat, term], {});
        stride *= xs[j] ?? 1;
      }
      if (flat === undefined) throw c.error('GatherElements on a rank-0 tensor');
      return [e.op('gather', [e.reshape(x, [numel(xs)]), flat], { axis: 0 })];
    },
  },
  ReverseSequence: {
    attrs: ['batch_axis', 'time_axis'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const xs = e.shape(x);
      const lens = c.staticInts(1, 'sequence_lens');
      const bAx = e.axis(c.int('batch_axis', 1), xs.length);
      const tAx = e.axis(c.int('time_axis', 0), xs.length);
      const T = elementAt(xs, tAx, 'ReverseSequence operand shape');
      const B = elementAt(xs, bAx, 'ReverseSequence operand shape');
      // Source time index per (time, batch): reversed inside each batch's length, unchanged after it.
      const idxShape = xs.map((d, i) => (i === tAx || i === bAx ? d : 1));
      const vals: number[] = [];
      const stride = (i: number): number => idxShape.slice(i + 1).reduce((a, b) => a * b, 1);
      for (let k = 0; k < T * B; k++) vals.push(0);
      for (let t = 0; t < T; t++)
        for (let b = 0; b < B; b++) {
          const l = lens[b] ?? T;
          vals[t * stride(tAx) + b * stride(bAx)] = t < l ? l - 1 - t : t;
        }
      const idx = e.broadcastTo(e.constant('i32', idxShape, vals), xs);
      return [e.op('gather', [e.reshape(x, [numel(xs)]), flatIndex(e, idx, xs, tAx)], { axis: 0 })];
    },
  },
  Trilu: {
    attrs: ['upper'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const s = e.shape(x);
      const r = s.length;
      const k = c.has(1) ? Math.trunc(c.staticScalar(1, 'k')) : 0;
      const it = { dtype: 'i32' as const, shape: [...s] };
      const row = e.b.add('iota', [], { dim: r - 2 }, { type: it });
      const col = e.b.add('iota', [], { dim: r - 1 }, { type: it });
      const diff = e.op('sub', [col, row], {}); // j - i
      const keep = c.int('upper', 1) !== 0 ? e.withScalar('ge', diff, k) : e.withScalar('le', diff, k);
      return [e.select(keep, x, e.full(x, 0))];
    },
  },
  EyeLike: {
    attrs: ['dtype', 'k'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const dtype = c.hasAttr('dtype') ? kilnDType(c.int('dtype', 1), `${c.where} dtype`) : e.dtype(x);
      const it = { dtype: 'i32' as const, shape: [...e.shape(x)] };
      const diff = e.op('sub', [e.b.add('iota', [], { dim: 1 }, { type: it }), e.b.add('iota', [], { dim: 0 }, { type: it })], {});
      return [e.cast(e.withScalar('eq', diff, c.int('k', 0)), dtype)];
    },
  },
  OneHot: {
    attrs: ['axis'],
    lower: (c) => {
      const e = c.e;
      const idx = e.cast(c.input(0), 'i32');
      const depth = Math.trunc(c.staticScalar(1, 'depth'));
      const vals = c.input(2);
      const s = e.shape(idx);
      const r = s.length + 1;
      const axis = e.axis(c.int('axis', -1), r);
      const outShape = [...s.slice(0, axis), depth, ...s.slice(axis)];
      const norm = e.select(e.withScalar('lt', idx, 0), e.withScalar('add', idx, depth), idx);
      const b = e.op('broadcast', [norm], { dims: s.map((_, i) => (i < axis ? i : i + 1)), shape: outShape });
      const pos = e.b.add('iota', [], { dim: axis }, { type: { dtype: 'i32', shape: outShape } });
      const hit = e.op('eq', [b, pos], {});
      const off = e.broadcastTo(e.op('slice', [vals], { start: [0], limit: [1], stride: [1] }), outShape);
      const on = e.broadcastTo(e.op('slice', [vals], { start: [1], limit: [2], stride: [1] }), outShape);
      return [e.op('select', [hit, on, off], {})];
    },
  },
  Dropout: {
    attrs: ['ratio', 'seed'],
    lower: (c) => {
      const x = c.input(0);
      const ratio = c.opset >= 12 ? (c.has(1) ? c.staticScalar(1, 'ratio') : 0.5) : c.float('ratio', 0.5);
      // Training-mode dropout is random; only ratio 0 (the identity) is deterministic.
      if (c.has(2) && c.staticScalar(2, 'training_mode') !== 0 && ratio !== 0) throw c.unsupported('Dropout in training mode (random)');
      return [x, c.e.full(x, 1, 'bool')];
    },
  },
  DepthToSpace: {
    attrs: ['blocksize', 'mode'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const [n = 0, ch = 0, h = 0, w = 0] = e.shape(x);
      const b = c.intReq('blocksize');
      const mode = c.string('mode', 'DCR');
      const t =
        mode === 'DCR' ? e.transpose(e.reshape(x, [n, b, b, ch / (b * b), h, w]), [0, 3, 4, 1, 5, 2]) : e.transpose(e.reshape(x, [n, ch / (b * b), b, b, h, w]), [0, 1, 4, 2, 5, 3]);
      return [e.reshape(t, [n, ch / (b * b), h * b, w * b])];
    },
  },
  SpaceToDepth: {
    attrs: ['blocksize'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const [n = 0, ch = 0, h = 0, w = 0] = e.shape(x);
      const b = c.intReq('blocksize');
      const t = e.transpose(e.reshape(x, [n, ch, h / b, b, w / b, b]), [0, 3, 5, 1, 2, 4]);
      return [e.reshape(t, [n, ch * b * b, h / b, w / b])];
    },
  },
};
