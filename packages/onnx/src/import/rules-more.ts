// Lowerings of Atan/Asin/Acos (a polynomial of documented accuracy: |error| <= 2e-8 on [0, 1],
// Abramowitz & Stegun 4.4.49, with the 1/x reflection outside), MaxUnpool (scatter_add into
// zeros), Det for 2x2 and 3x3 matrices (closed form), and GatherND with batch_dims.

import { elementAt, numel, type ValueId } from '@kiln/ir';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';

const ATAN_COEFFS = [1, -0.3333314528, 0.1999355085, -0.1420889944, 0.1065626393, -0.07528964, 0.0429096138, -0.0161657367, 0.0028662257];

export function atan(e: Emitter, x: ValueId): ValueId {
  const ax = e.unary('abs', x);
  const big = e.withScalar('gt', ax, 1);
  const t = e.select(big, e.op('div', [e.full(ax, 1), ax], {}), ax); // in [0, 1]
  const t2 = e.op('mul', [t, t], {});
  let p = e.full(t, elementAt(ATAN_COEFFS, ATAN_COEFFS.length - 1, 'ATAN_COEFFS'));
  for (let i = ATAN_COEFFS.length - 2; i >= 0; i--) p = e.withScalar('add', e.op('mul', [p, t2], {}), elementAt(ATAN_COEFFS, i, 'ATAN_COEFFS'));
  const small = e.op('mul', [t, p], {});
  const r = e.select(big, e.op('sub', [e.full(small, Math.PI / 2), small], {}), small);
  return e.op('mul', [e.unary('sign', x), r], {});
}
function asin(e: Emitter, x: ValueId): ValueId {
  // asin x = atan(x / sqrt(1 - x^2)); at |x| = 1 the quotient is +-inf and atan gives +-pi/2.
  return atan(e, e.op('div', [x, e.unary('sqrt', e.op('sub', [e.full(x, 1), e.op('mul', [x, x], {})], {}))], {}));
}

function det(c: NodeCtx): ValueId {
  const e = c.e;
  const x = c.input(0);
  const s = e.shape(x);
  if (s.length < 2) throw c.error(`input must be [..., M, M], got rank ${s.length}`);
  const n = elementAt(s, s.length - 1, 'Det operand shape (rank >= 2)');
  if (n !== s[s.length - 2] || n < 1 || n > 3) throw c.unsupported(`Det of ${n}x${n} matrices (closed forms up to 3x3)`);
  const lead = s.slice(0, -2);
  const m = (i: number, j: number): ValueId => e.reshape(e.op('slice', [x], { start: [...lead.map(() => 0), i, j], limit: [...lead, i + 1, j + 1], stride: s.map(() => 1) }), lead);
  const mul = (a: ValueId, b: ValueId): ValueId => e.op('mul', [a, b], {});
  const sub = (a: ValueId, b: ValueId): ValueId => e.op('sub', [a, b], {});
  if (n === 1) return m(0, 0);
  if (n === 2) return sub(mul(m(0, 0), m(1, 1)), mul(m(0, 1), m(1, 0)));
  const minor = (i: number, j: number, k: number, l: number): ValueId => sub(mul(m(1, i), m(2, j)), mul(m(1, k), m(2, l)));
  return e.op('add', [sub(mul(m(0, 0), minor(1, 2, 2, 1)), mul(m(0, 1), minor(0, 2, 2, 0))), mul(m(0, 2), minor(0, 1, 1, 0))], {});
}

export const moreRules: Readonly<Record<string, OpRule>> = {
  Atan: { attrs: [], lower: (c) => [atan(c.e, c.input(0))] },
  Asin: { attrs: [], lower: (c) => [asin(c.e, c.input(0))] },
  Acos: {
    attrs: [],
    lower: (c) => {
      const e = c.e;
      return [e.op('sub', [e.full(c.input(0), Math.PI / 2), asin(e, c.input(0))], {})];
    },
  },
  Det: { attrs: [], lower: (c) => [det(c)] },
  MaxUnpool: {
    attrs: ['kernel_shape', 'strides', 'pads'],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const xs = e.shape(x);
      const kernel = c.ints('kernel_shape') ?? [];
      const strides = c.ints('strides') ?? kernel.map(() => 1);
      const pads = c.ints('pads') ?? new Array<number>(kernel.length * 2).fill(0);
      const n = kernel.length;
      if (n !== xs.length - 2 || strides.length !== n || pads.length !== 2 * n)
        throw c.error(
          `kernel_shape, strides and pads need ${xs.length - 2}, ${xs.length - 2} and ${2 * (xs.length - 2)} entries for rank ${xs.length}, got ${n}, ${strides.length} and ${pads.length}`,
        );
      const at = (list: readonly number[], i: number, what: string): number => elementAt(list, i, `MaxUnpool ${what} (lengths checked)`);
      const dflt = [
        at(xs, 0, 'shape'),
        at(xs, 1, 'shape'),
        ...xs.slice(2).map((d, i) => (d - 1) * at(strides, i, 'strides') - at(pads, i, 'pads') - at(pads, i + n, 'pads') + at(kernel, i, 'kernel_shape')),
      ];
      const out = c.has(2) ? c.staticInts(2, 'output_shape') : dflt;
      const total = numel(out);
      let idx = e.reshape(e.cast(c.input(1), 'i32'), [numel(xs)]);
      if (out.some((d, i) => d !== dflt[i])) {
        // Indices are flat positions in the default unpooled shape: re-flatten them into output_shape.
        let rest = idx;
        let flat: ValueId | undefined;
        let stride = 1;
        for (let j = dflt.length - 1; j >= 0; j--) {
          const d = dflt[j] ?? 1;
          const q = e.withScalar('div', rest, d);
          const coord = e.op('sub', [rest, e.withScalar('mul', q, d)], {});
          const term = e.withScalar('mul', coord, stride);
          flat = flat === undefined ? term : e.op('add', [flat, term], {});
          stride *= out[j] ?? 1;
          rest = q;
        }
        if (flat !== undefined) idx = flat;
      }
      const r = e.op('scatter_add', [e.constant(e.dtype(x), [total], 0), idx, e.reshape(x, [numel(xs)])], { axis: 0 });
      return [e.reshape(r, out)];
    },
  },
};
