// Lowering of RoiAlign (opset 10/16; avg or max, half_pixel or output_half_pixel, a fixed
// sampling_ratio): sample coordinates come from the rois at run time, so every bilinear tap is a
// gather from the input (channels last, flattened over batch and space) at computed indices.

import type { ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { OpRule } from './node-ctx.js';

/** One axis of the bilinear taps: low/high indices, their weights, and whether the sample is inside. */
interface AxisTaps {
  readonly low: ValueId;
  readonly high: ValueId;
  readonly wLow: ValueId;
  readonly wHigh: ValueId;
  readonly inside: ValueId;
}

/** The ONNX reference's clamping of one sample coordinate v against an axis of `size`. */
function taps(e: Emitter, v: ValueId, size: number): AxisTaps {
  const inside = e.op('and', [e.withScalar('ge', v, -1), e.withScalar('le', v, size)], {});
  const c = e.withScalar('max', v, 0);
  const floor = e.unary('floor', c);
  const edge = e.withScalar('ge', floor, size - 1);
  const last = e.full(c, size - 1);
  const low = e.select(edge, last, floor);
  const high = e.select(edge, last, e.withScalar('add', floor, 1));
  const wHigh = e.op('sub', [e.select(edge, low, c), low], {});
  return { low, high, wLow: e.op('sub', [e.full(wHigh, 1), wHigh], {}), wHigh, inside };
}

export const roiAlignRules: Readonly<Record<string, OpRule>> = {
  RoiAlign: {
    attrs: ['coordinate_transformation_mode', 'mode', 'output_height', 'output_width', 'sampling_ratio', 'spatial_scale'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const rois = c.input(1);
      const batchIndices = e.cast(c.input(2), 'i32');
      if (e.rank(x) !== 4) throw c.error(`input must be 4-D, got rank ${e.rank(x)}`);
      const [N = 0, C = 0, H = 0, W = 0] = e.shape(x);
      const [R = 0, corners] = e.shape(rois);
      if (e.rank(rois) !== 2 || corners !== 4) throw c.error(`rois must be [num_rois, 4], got [${e.shape(rois).join(', ')}]`);
      if (e.shape(batchIndices).length !== 1 || e.shape(batchIndices)[0] !== R) throw c.error(`batch_indices must be [${R}] (one per roi), got [${e.shape(batchIndices).join(', ')}]`);
      const mode = c.string('mode', 'avg');
      if (mode !== 'avg' && mode !== 'max') throw c.unsupported(`RoiAlign mode "${mode}"`);
      // Opset 10 has no attribute and behaves as output_half_pixel; opset 16 defaults to half_pixel.
      const transform = c.string('coordinate_transformation_mode', c.opset >= 16 ? 'half_pixel' : 'output_half_pixel');
      if (transform !== 'half_pixel' && transform !== 'output_half_pixel') throw c.unsupported(`RoiAlign coordinate_transformation_mode "${transform}"`);
      const Ph = c.int('output_height', 1);
      const Pw = c.int('output_width', 1);
      const ratio = c.int('sampling_ratio', 0);
      if (ratio <= 0) throw c.unsupported('RoiAlign with an adaptive sampling_ratio (the sample grid would depend on the rois at run time)');
      const scale = c.float('spatial_scale', 1);
      const offset = transform === 'half_pixel' ? 0.5 : 0;
      const column = (k: number): ValueId => e.op('slice', [rois], { start: [0, k], limit: [R, k + 1], stride: [1, 1] }); // [R, 1]
      // Sample coordinates along one axis: start + (p + (i + 0.5) / ratio) * bin, for bins p and samples i.
      const samples = (lo: number, hi: number, bins: number): ValueId => {
        const start = e.withScalar('sub', e.withScalar('mul', column(lo), scale), offset);
        let extent = e.op('sub', [e.withScalar('sub', e.withScalar('mul', column(hi), scale), offset), start], {});
        if (transform === 'output_half_pixel') extent = e.withScalar('max', extent, 1);
        const bin = e.withScalar('div', extent, bins);
        const k = e.constant(
          'f32',
          [1, bins * ratio],
          Array.from({ length: bins * ratio }, (_, j) => Math.floor(j / ratio) + ((j % ratio) + 0.5) / ratio),
        );
        return e.binary('add', e.binary('mul', k, bin), start); // [R, bins * ratio]
      };
      const ys = taps(e, samples(1, 3, Ph), H);
      const xs = taps(e, samples(0, 2, Pw), W);
      const A = Ph * ratio;
      const B = Pw * ratio;
      const grid = [R, A, B];
      const rowsOf = (v: ValueId): ValueId => e.broadcastTo(e.reshape(v, [R, A, 1]), grid);
      const colsOf = (v: ValueId): ValueId => e.broadcastTo(e.reshape(v, [R, 1, B]), grid);
      const inside = e.op('and', [rowsOf(ys.inside), colsOf(xs.inside)], {});
      // The input channels last, one row per (batch, y, x): taps gather rows by b*H*W + y*W + x.
      const table = e.reshape(e.transpose(x, [0, 2, 3, 1]), [N * H * W, C]);
      const base = e.broadcastTo(e.reshape(e.withScalar('mul', batchIndices, H * W), [R, 1, 1]), grid);
      const tap = (y: ValueId, xx: ValueId, wy: ValueId, wx: ValueId): ValueId => {
        const flat = e.op('add', [base, e.cast(e.op('add', [e.withScalar('mul', rowsOf(y), W), colsOf(xx)], {}), 'i32')], {});
        const values = e.op('gather', [table, flat], { axis: 0 }); // [R, A, B, C]
        const w = e.select(inside, e.op('mul', [rowsOf(wy), colsOf(wx)], {}), e.full(inside, 0, 'f32'));
        return e.binary('mul', values, e.reshape(w, [...grid, 1]));
      };
      const parts = [tap(ys.low, xs.low, ys.wLow, xs.wLow), tap(ys.low, xs.high, ys.wLow, xs.wHigh), tap(ys.high, xs.low, ys.wHigh, xs.wLow), tap(ys.high, xs.high, ys.wHigh, xs.wHigh)];
      const cells = e.reshape(
        parts.reduce((acc, p) => e.op(mode === 'avg' ? 'add' : 'max', [acc, p], {})),
        [R, Ph, ratio, Pw, ratio, C],
      );
      const pooled = mode === 'avg' ? e.withScalar('div', e.reduce('reduce_sum', cells, [2, 4], false), ratio * ratio) : e.reduce('reduce_max', cells, [2, 4], false);
      return [e.transpose(pooled, [0, 3, 1, 2])];
    },
  },
};
