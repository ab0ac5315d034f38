// Lowering of GridSample (opset 16: 4-D input; bilinear, nearest, bicubic; zeros, border or
// reflection padding; align_corners): sample coordinates come from the grid at run time, so each
// tap is a gather from the flattened input at computed indices, weighted elementwise.

import type { ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { OpRule } from './node-ctx.js';

/** Reflects x into [lo, hi] (elementwise), as the ONNX reference does for reflection padding. */
function reflect(e: Emitter, x: ValueId, lo: number, hi: number): ValueId {
  const range = hi - lo;
  if (range <= 0) return e.full(x, lo);
  const below = e.withScalar('lt', x, lo);
  const d = e.select(below, e.op('sub', [e.full(x, lo), x], {}), e.withScalar('sub', x, hi));
  const dAbs = e.unary('abs', d);
  const flips = e.unary('floor', e.withScalar('div', dAbs, range));
  const rem = e.op('sub', [dAbs, e.withScalar('mul', flips, range)], {});
  const even = e.withScalar('eq', e.op('sub', [flips, e.withScalar('mul', e.unary('floor', e.withScalar('mul', flips, 0.5)), 2)], {}), 0);
  const inRange = e.op('and', [e.withScalar('ge', x, lo), e.withScalar('le', x, hi)], {});
  const fromLo = e.withScalar('add', rem, lo);
  const fromHi = e.op('sub', [e.full(x, hi), rem], {});
  // Past lo: even flips land at lo + rem, odd at hi - rem; past hi, the other way round.
  const out = e.select(below, e.select(even, fromLo, fromHi), e.select(even, fromHi, fromLo));
  return e.select(inRange, x, out);
}

function cubic(e: Emitter, t: ValueId, a: number): ValueId[] {
  const f = (x: ValueId, near: boolean): ValueId => {
    // near (|x| <= 1): ((a+2)x - (a+3))x^2 + 1; far (1 < |x| < 2): ((a x - 5a) x + 8a) x - 4a
    if (near) return e.withScalar('add', e.op('mul', [e.withScalar('sub', e.withScalar('mul', x, a + 2), a + 3), e.op('mul', [x, x], {})], {}), 1);
    return e.withScalar('sub', e.op('mul', [e.withScalar('add', e.op('mul', [e.withScalar('sub', e.withScalar('mul', x, a), 5 * a), x], {}), 8 * a), x], {}), 4 * a);
  };
  const one = e.full(t, 1);
  return [f(e.withScalar('add', t, 1), false), f(t, true), f(e.op('sub', [one, t], {}), true), f(e.op('sub', [e.full(t, 2), t], {}), false)];
}

export const gridSampleRules: Readonly<Record<string, OpRule>> = {
  GridSample: {
    attrs: ['align_corners', 'mode', 'padding_mode'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const grid = c.input(1);
      const [N = 0, C = 0, H = 0, W = 0] = e.shape(x);
      if (e.rank(x) !== 4) throw c.unsupported('GridSample on other than 4-D input');
      const [, Ho = 0, Wo = 0] = e.shape(grid);
      const align = c.int('align_corners', 0) !== 0;
      const mode = c.string('mode', 'bilinear');
      const pad = c.string('padding_mode', 'zeros');
      if (!['bilinear', 'nearest', 'bicubic', 'linear', 'cubic'].includes(mode)) throw c.unsupported(`GridSample mode "${mode}"`);
      if (!['zeros', 'border', 'reflection'].includes(pad)) throw c.unsupported(`GridSample padding_mode "${pad}"`);
      const coord = (k: number, size: number): ValueId => {
        const g = e.reshape(e.op('slice', [grid], { start: [0, 0, 0, k], limit: [N, Ho, Wo, k + 1], stride: [1, 1, 1, 1] }), [N, 1, Ho, Wo]);
        let v = align
          ? e.withScalar('mul', e.withScalar('add', g, 1), (size - 1) / 2)
          : e.withScalar('mul', e.withScalar('sub', e.withScalar('mul', e.withScalar('add', g, 1), size), 1), 0.5);
        const lo = align ? 0 : -0.5;
        const hi = align ? size - 1 : size - 0.5;
        if (pad === 'border') v = e.withScalar('min', e.withScalar('max', v, 0), size - 1);
        if (pad === 'reflection') v = reflect(e, v, lo, hi);
        return v;
      };
      const gx = coord(0, W);
      const gy = coord(1, H);
      const shape = [N, C, Ho, Wo];
      const flatX = e.reshape(x, [N * C * H * W]);
      const base = e.op(
        'add',
        [
          e.withScalar('mul', e.b.add('iota', [], { dim: 0 }, { type: { dtype: 'i32', shape } }), C * H * W),
          e.withScalar('mul', e.b.add('iota', [], { dim: 1 }, { type: { dtype: 'i32', shape } }), H * W),
        ],
        {},
      );
      // One tap: the input at integer (iy, ix) (floats), with the padding rule for indices outside.
      const tap = (iy: ValueId, ix: ValueId): ValueId => {
        let yy = iy;
        let xx = ix;
        if (pad === 'reflection') {
          yy = reflect(e, yy, align ? 0 : -0.5, align ? H - 1 : H - 0.5);
          xx = reflect(e, xx, align ? 0 : -0.5, align ? W - 1 : W - 0.5);
        }
        const valid = e.op(
          'and',
          [e.op('and', [e.withScalar('ge', yy, 0), e.withScalar('le', yy, H - 1)], {}), e.op('and', [e.withScalar('ge', xx, 0), e.withScalar('le', xx, W - 1)], {})],
          {},
        );
        const cy = e.cast(e.withScalar('min', e.withScalar('max', yy, 0), H - 1), 'i32');
        const cx = e.cast(e.withScalar('min', e.withScalar('max', xx, 0), W - 1), 'i32');
        const idx = e.binary('add', base, e.broadcastTo(e.op('add', [e.withScalar('mul', cy, W), cx], {}), shape));
        const v = e.op('gather', [flatX, idx], { axis: 0 });
        return pad === 'zeros' ? e.select(valid, v, e.full(v, 0)) : v;
      };
      if (mode === 'nearest') return [tap(e.unary('round', gy), e.unary('round', gx))];
      const x0 = e.unary('floor', gx);
      const y0 = e.unary('floor', gy);
      const tx = e.op('sub', [gx, x0], {});
      const ty = e.op('sub', [gy, y0], {});
      const offs = mode === 'bilinear' || mode === 'linear' ? [0, 1] : [-1, 0, 1, 2];
      const wx = offs.length === 2 ? [e.op('sub', [e.full(tx, 1), tx], {}), tx] : cubic(e, tx, -0.75);
      const wy = offs.length === 2 ? [e.op('sub', [e.full(ty, 1), ty], {}), ty] : cubic(e, ty, -0.75);
      let acc: ValueId | undefined;
      offs.forEach((dy, i) =>
        offs.forEach((dx, j) => {
          const w = e.op('mul', [wy[i] ?? ty, wx[j] ?? tx], {});
          const term = e.binary('mul', tap(e.withScalar('add', y0, dy), e.withScalar('add', x0, dx)), w);
          acc = acc === undefined ? term : e.op('add', [acc, term], {});
        }),
      );
      if (acc === undefined) throw c.error('no taps');
      return [acc];
    },
  },
};
