// Lowerings of DFT and STFT (opset 17) as matmuls with static cosine/sine matrices, and BitShift
// on u32 (multiply or divide by 2^shift).

import { elementAt, type ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { OpRule } from './node-ctx.js';
import { matmul } from './rules-nn.js';

/** [rows, n] real/imag -> [rows, bins] real/imag of the DFT (inverse: conjugate, divided by n). */
function dftRows(e: Emitter, re: ValueId, im: ValueId | undefined, n: number, bins: number, inverse: boolean): [ValueId, ValueId] {
  const cos = Array.from({ length: n * bins }, (_, i) => Math.cos((2 * Math.PI * Math.floor(i / bins) * (i % bins)) / n));
  const sin = Array.from({ length: n * bins }, (_, i) => Math.sin((2 * Math.PI * Math.floor(i / bins) * (i % bins)) / n));
  const C = e.constant('f32', [n, bins], cos);
  const S = e.constant('f32', [n, bins], sin);
  const sign = inverse ? 1 : -1;
  // (re + i im)(cos + i sign sin)
  let yr = matmul(e, re, C);
  let yi = e.withScalar('mul', matmul(e, re, S), sign);
  if (im !== undefined) {
    yr = e.op('sub', [yr, e.withScalar('mul', matmul(e, im, S), sign)], {});
    yi = e.op('add', [yi, matmul(e, im, C)], {});
  }
  if (inverse) {
    yr = e.withScalar('div', yr, n);
    yi = e.withScalar('div', yi, n);
  }
  return [yr, yi];
}

function complexParts(e: Emitter, x: ValueId): [ValueId, ValueId | undefined] {
  const s = e.shape(x);
  const r = s.length;
  const pick = (k: number): ValueId =>
    e.reshape(e.op('slice', [x], { start: s.map((_, i) => (i === r - 1 ? k : 0)), limit: s.map((d, i) => (i === r - 1 ? k + 1 : d)), stride: s.map(() => 1) }), s.slice(0, -1));
  return [pick(0), s[r - 1] === 2 ? pick(1) : undefined];
}

function stack2(e: Emitter, re: ValueId, im: ValueId): ValueId {
  const s = e.shape(re);
  return e.op('concat', [e.reshape(re, [...s, 1]), e.reshape(im, [...s, 1])], { axis: s.length });
}

export const spectralRules: Readonly<Record<string, OpRule>> = {
  DFT: {
    attrs: ['axis', 'inverse', 'onesided'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const s = e.shape(x);
      const r = s.length;
      const axis = c.opset >= 20 ? e.axis(c.has(2) ? (c.staticInts(2, 'axis')[0] ?? -2) : -2, r) : e.axis(c.int('axis', 1), r);
      const n = elementAt(s, axis, 'DFT signal shape');
      if (c.has(1) && c.staticInts(1, 'dft_length')[0] !== n) throw c.unsupported('DFT dft_length different from the signal length');
      const inverse = c.int('inverse', 0) !== 0;
      const onesided = c.int('onesided', 0) !== 0;
      if (inverse && onesided) throw c.unsupported('inverse onesided DFT');
      const bins = onesided ? Math.floor(n / 2) + 1 : n;
      const [re, im] = complexParts(e, x); // [..., n, ...] without the last dim
      const rr = r - 1;
      const perm = [...Array.from({ length: rr }, (_, i) => i).filter((i) => i !== axis), axis];
      const toRows = (v: ValueId): ValueId => {
        const t = e.transpose(v, perm);
        return e.reshape(t, [
          e
            .shape(t)
            .slice(0, -1)
            .reduce((a, b) => a * b, 1),
          n,
        ]);
      };
      const [yr, yi] = dftRows(e, toRows(re), im === undefined ? undefined : toRows(im), n, bins, inverse);
      const lead = perm.slice(0, -1).map((i) => s[i] ?? 1);
      const inv = perm.map((_, i) => perm.indexOf(i));
      const back = (v: ValueId): ValueId => e.transpose(e.reshape(v, [...lead, bins]), inv);
      return [stack2(e, back(yr), back(yi))];
    },
  },
  STFT: {
    attrs: ['onesided'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0); // [batch, length, 1|2]
      const [batch = 0, length = 0] = e.shape(x);
      const step = Math.trunc(c.staticScalar(1, 'frame_step'));
      const win = c.opt(2);
      if (win !== undefined && e.rank(win) !== 1) throw c.error(`window must be 1-D, got rank ${e.rank(win)}`);
      const frameLen = c.has(3) ? Math.trunc(c.staticScalar(3, 'frame_length')) : win !== undefined ? elementAt(e.shape(win), 0, 'STFT window shape (1-D)') : 0;
      if (frameLen <= 0) throw c.error('STFT needs a window or frame_length');
      const onesided = c.int('onesided', 1) !== 0;
      const bins = onesided ? Math.floor(frameLen / 2) + 1 : frameLen;
      const frames = 1 + Math.floor((length - frameLen) / step);
      const [re, im] = complexParts(e, x); // [batch, length]
      // Gather all frames at once: index [frames, frameLen] into the length axis.
      const idx = e.constant(
        'i32',
        [frames, frameLen],
        Array.from({ length: frames * frameLen }, (_, i) => Math.floor(i / frameLen) * step + (i % frameLen)),
      );
      const frame = (v: ValueId): ValueId => {
        let f = e.op('gather', [v, idx], { axis: 1 }); // [batch, frames, frameLen]
        if (win !== undefined) f = e.binary('mul', f, win);
        return e.reshape(f, [batch * frames, frameLen]);
      };
      const [yr, yi] = dftRows(e, frame(re), im === undefined ? undefined : frame(im), frameLen, bins, false);
      return [stack2(e, e.reshape(yr, [batch, frames, bins]), e.reshape(yi, [batch, frames, bins]))];
    },
  },
  BitShift: {
    attrs: ['direction'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      if (e.dtype(x) !== 'u32') throw c.unsupported(`BitShift on ${e.dtype(x)}`);
      const shape = e.broadcastShape(e.shape(x), e.shape(c.input(1)));
      const y = e.broadcastTo(c.input(1), shape);
      // 2^y is exact in f32 for y < 32 and fits u32.
      const p = e.cast(e.op('pow', [e.full(y, 2, 'f32'), e.cast(y, 'f32')], {}), 'u32');
      const dir = c.string('direction', '');
      if (dir !== 'LEFT' && dir !== 'RIGHT') throw c.error(`direction must be LEFT or RIGHT, got "${dir}"`);
      return [e.op(dir === 'LEFT' ? 'mul' : 'div', [e.broadcastTo(x, shape), p], {})];
    },
  },
};
