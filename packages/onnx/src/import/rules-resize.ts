// Lowerings of Resize and Upsample (nearest, linear, cubic; the coordinate transformation modes of
// opset 11+): separable per axis, each axis contracted with a static [out, in] interpolation
// matrix through matmul, so every mode is one code path and the weights are visible constants.

import { elementAt, type ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';
import { matmul } from './rules-nn.js';

interface Spec {
  readonly mode: string;
  readonly coord: string;
  readonly nearest: string;
  readonly cubicA: number;
  readonly excludeOutside: boolean;
  /** tf_crop_and_resize: the roi input (starts of every axis, then ends) and the fill value outside it. */
  readonly roi?: readonly number[];
  readonly extrapolation: number;
}

/** The crop window of `axis` (tf_crop_and_resize), as fractions of the input extent. */
interface Crop {
  readonly start: number;
  readonly end: number;
}

function sourceCoord(spec: Spec, x: number, d: number, o: number, scale: number, c: NodeCtx, crop: Crop | undefined): number {
  switch (spec.coord) {
    case 'tf_crop_and_resize': {
      if (crop === undefined) throw c.error('tf_crop_and_resize needs the roi input');
      return o > 1 ? crop.start * (d - 1) + (x * (crop.end - crop.start) * (d - 1)) / (o - 1) : 0.5 * (crop.start + crop.end) * (d - 1);
    }
    case 'half_pixel':
      return (x + 0.5) / scale - 0.5;
    case 'pytorch_half_pixel':
      return o > 1 ? (x + 0.5) / scale - 0.5 : 0;
    // ONNX uses the unrounded resized length d * scale here.
    case 'align_corners':
      return d * scale === 1 ? 0 : (x * (d - 1)) / (d * scale - 1);
    case 'asymmetric':
      return x / scale;
    case 'tf_half_pixel_for_nn':
      return (x + 0.5) / scale;
    case 'half_pixel_symmetric': {
      const adj = o / (scale * d);
      const offset = (d / 2) * (1 - adj);
      return offset + (x + 0.5) / scale - 0.5;
    }
    default:
      throw c.unsupported(`Resize coordinate_transformation_mode "${spec.coord}"`);
  }
}

function nearestIndex(mode: string, x: number, c: NodeCtx): number {
  switch (mode) {
    case 'round_prefer_floor':
      return x === Math.floor(x) + 0.5 ? Math.floor(x) : Math.round(x);
    case 'round_prefer_ceil':
      return Math.round(x);
    case 'floor':
      return Math.floor(x);
    case 'ceil':
      return Math.ceil(x);
    default:
      throw c.unsupported(`Resize nearest_mode "${mode}"`);
  }
}

function cubicCoeffs(t: number, a: number): number[] {
  const f = (x: number): number => {
    const ax = Math.abs(x);
    if (ax <= 1) return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
    if (ax < 2) return ((a * ax - 5 * a) * ax + 8 * a) * ax - 4 * a;
    return 0;
  };
  return [f(t + 1), f(t), f(1 - t), f(2 - t)];
}

/**
 * The [o, d] matrix mapping an input line to an output line, and the output positions that fall
 * outside the input (tf_crop_and_resize: their row is zero and they take the extrapolation value).
 */
function matrix(spec: Spec, d: number, o: number, scale: number, c: NodeCtx, crop: Crop | undefined): { w: number[]; outside: boolean[] } {
  const w = new Array<number>(o * d).fill(0);
  const outside = new Array<boolean>(o).fill(false);
  const clamp = (i: number): number => Math.min(Math.max(i, 0), d - 1);
  for (let y = 0; y < o; y++) {
    const x = sourceCoord(spec, y, d, o, scale, c, crop);
    if (crop !== undefined && (x < 0 || x > d - 1)) outside[y] = true;
    else if (spec.mode === 'nearest') w[y * d + clamp(nearestIndex(spec.nearest, x, c))] = 1;
    else if (spec.mode === 'linear') {
      const xc = Math.min(Math.max(x, 0), d - 1);
      const i0 = Math.floor(xc);
      const t = xc - i0;
      w[y * d + clamp(i0)] = elementAt(w, y * d + clamp(i0), 'resize weights') + (1 - t);
      w[y * d + clamp(i0 + 1)] = elementAt(w, y * d + clamp(i0 + 1), 'resize weights') + t;
    } else if (spec.mode === 'cubic') {
      const i0 = Math.floor(x);
      const coeffs = cubicCoeffs(x - i0, spec.cubicA);
      const taps = [i0 - 1, i0, i0 + 1, i0 + 2];
      let total = 0;
      taps.forEach((i, k) => {
        if (spec.excludeOutside && (i < 0 || i >= d)) coeffs[k] = 0;
        total += elementAt(coeffs, k, 'cubic coefficients');
      });
      taps.forEach((i, k) => {
        const v = elementAt(coeffs, k, 'cubic coefficients') / (spec.excludeOutside ? total : 1);
        w[y * d + clamp(i)] = elementAt(w, y * d + clamp(i), 'resize weights') + v;
      });
    } else throw c.unsupported(`Resize mode "${spec.mode}"`);
  }
  return { w, outside };
}

function resizeAxis(e: Emitter, x: ValueId, axis: number, { w, outside }: { w: readonly number[]; outside: readonly boolean[] }, o: number, fill: number): ValueId {
  const s = e.shape(x);
  const r = s.length;
  const d = s[axis] ?? 1;
  const perm = [...Array.from({ length: r }, (_, i) => i).filter((i) => i !== axis), axis];
  const moved = e.transpose(x, perm);
  const ms = e.shape(moved);
  const rows = ms.slice(0, -1).reduce((a, b) => a * b, 1);
  const flat = e.reshape(moved, [rows, d]);
  // out[rows, o] = flat[rows, d] @ W^T[d, o]
  const wt = e.constant(
    'f32',
    [d, o],
    Array.from({ length: d * o }, (_, k) => elementAt(w, (k % o) * d + Math.floor(k / o), 'resize weights')),
  );
  let product = matmul(e, flat, wt);
  // Rows outside the crop window are zero in W; adding the fill there keeps later axes exact (they
  // interpolate between equal fills).
  if (outside.some((v) => v))
    product = e.binary(
      'add',
      product,
      e.constant(
        'f32',
        [1, o],
        outside.map((v) => (v ? fill : 0)),
      ),
    );
  const y = e.reshape(product, [...ms.slice(0, -1), o]);
  const inv = perm.map((_, i) => perm.indexOf(i));
  return e.transpose(y, inv);
}

function resize(c: NodeCtx, x0: ValueId, scales: number[] | undefined, sizes: number[] | undefined, spec: Spec): ValueId {
  const e = c.e;
  const s = e.shape(x0);
  const dtype = e.dtype(x0);
  let x = e.cast(x0, 'f32');
  const axesAttr = c.ints('axes')?.map((a) => e.axis(a, s.length));
  const axes = axesAttr ?? s.map((_, i) => i);
  const policy = c.string('keep_aspect_ratio_policy', 'stretch');
  let sc = scales;
  let sz = sizes;
  if (sz !== undefined && policy !== 'stretch') {
    const ratios = axes.map((a, i) => (sz?.[i] ?? 1) / (s[a] ?? 1));
    const pick = policy === 'not_larger' ? Math.min(...ratios) : policy === 'not_smaller' ? Math.max(...ratios) : NaN;
    if (Number.isNaN(pick)) throw c.unsupported(`keep_aspect_ratio_policy "${policy}"`);
    sc = axes.map(() => pick);
    sz = axes.map((a) => Math.round((s[a] ?? 1) * pick));
  }
  if (spec.roi !== undefined && spec.roi.length !== 2 * axes.length)
    throw c.error(`roi has ${spec.roi.length} values; tf_crop_and_resize needs a start and an end per axis (${2 * axes.length})`);
  axes.forEach((a, i) => {
    const d = s[a] ?? 1;
    const o = sz !== undefined ? (sz[i] ?? d) : Math.floor(d * (sc?.[i] ?? 1));
    const scale = sz !== undefined && (sc === undefined || policy === 'stretch') ? o / d : (sc?.[i] ?? 1);
    const crop = spec.roi === undefined ? undefined : { start: spec.roi[i] ?? 0, end: spec.roi[axes.length + i] ?? 1 };
    if (crop === undefined && o === d && scale === 1) return;
    x = resizeAxis(e, x, a, matrix(spec, d, o, scale, c, crop), o, spec.extrapolation);
  });
  return dtype === 'f32' ? x : e.cast(e.unary('round', x), dtype);
}

export const resizeRules: Readonly<Record<string, OpRule>> = {
  Resize: {
    attrs: ['mode', 'coordinate_transformation_mode', 'nearest_mode', 'cubic_coeff_a', 'exclude_outside', 'antialias', 'axes', 'keep_aspect_ratio_policy', 'extrapolation_value'],
    lower: (c) => {
      if (c.int('antialias', 0) !== 0) throw c.unsupported('Resize antialias=1');
      const legacy = c.opset < 11;
      const spec: Spec = {
        mode: c.string('mode', 'nearest'),
        coord: legacy ? 'asymmetric' : c.string('coordinate_transformation_mode', 'half_pixel'),
        nearest: legacy ? 'floor' : c.string('nearest_mode', 'round_prefer_floor'),
        cubicA: c.float('cubic_coeff_a', -0.75),
        excludeOutside: c.int('exclude_outside', 0) !== 0,
        extrapolation: c.float('extrapolation_value', 0),
        ...(!legacy && c.string('coordinate_transformation_mode', 'half_pixel') === 'tf_crop_and_resize' ? { roi: [...c.static(1, 'roi').values] } : {}),
      };
      const scalesIdx = legacy ? 1 : 2;
      const scalesT = c.has(scalesIdx) ? c.static(scalesIdx, 'scales') : undefined;
      const scales = scalesT !== undefined && scalesT.values.length > 0 ? [...scalesT.values] : undefined;
      const sizes = !legacy && c.has(3) ? c.staticInts(3, 'sizes') : undefined;
      return [resize(c, c.input(0), scales, sizes !== undefined && sizes.length > 0 ? sizes : undefined, spec)];
    },
  },
  Upsample: {
    attrs: ['mode', 'scales', 'height_scale', 'width_scale'],
    lower: (c) => {
      const spec: Spec = { mode: c.string('mode', 'nearest'), coord: 'asymmetric', nearest: 'floor', cubicA: -0.75, excludeOutside: false, extrapolation: 0 };
      const scales = c.opset >= 9 ? [...c.static(1, 'scales').values] : c.floats('scales');
      return [resize(c, c.input(0), scales, undefined, spec)];
    },
  },
};
