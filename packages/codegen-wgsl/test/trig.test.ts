// Kiln's sin/cos (prelude.ts): the range reduction and polynomials, emulated step by step in f32
// with the very constants the WGSL uses, against Math.sin/Math.cos; and the emitted WGSL shape.

import { describe, expect, it } from 'vitest';
import { TRIG, helpersFor } from '../src/prelude.js';

const F = Math.fround;

/** WGSL round(): halves to even. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

function horner(cs: readonly number[], z: number): number {
  let acc = F(cs[cs.length - 1]!);
  for (let k = cs.length - 2; k >= 0; k--) acc = F(F(cs[k]!) + F(z * acc));
  return acc;
}

/** kiln_sin / kiln_cos evaluated as the WGSL does, one f32 rounding per operation. */
function emulate(x: number, which: 'sin' | 'cos'): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) >= TRIG.reducedBelow) return F(which === 'sin' ? Math.sin(x) : Math.cos(x));
  const [c1, c2, c3] = TRIG.piOver2.map(F) as [number, number, number];
  const q = roundEven(F(x * F(TRIG.twoOverPi)));
  const r = q === 0 ? x : F(F(F(x - F(q * c1)) - F(q * c2)) - F(q * c3));
  const z = F(r * r);
  const s = z === 0 ? r : F(r + F(F(r * z) * horner(TRIG.sin, z)));
  const c = F(F(1 - F(0.5 * z)) + F(F(z * z) * horner(TRIG.cos, z)));
  const n = (q | 0) + (which === 'cos' ? 1 : 0);
  const v = (n & 1) === 1 ? c : s;
  return (n & 2) === 2 ? -v : v;
}

function worstError(which: 'sin' | 'cos', lo: number, hi: number, n: number): number {
  let worst = 0;
  for (let i = 0; i <= n; i++) {
    const x = F(lo + ((hi - lo) * i) / n);
    const want = F(which === 'sin' ? Math.sin(x) : Math.cos(x));
    worst = Math.max(worst, Math.abs(emulate(x, which) - want));
  }
  return worst;
}

describe('kiln_sin / kiln_cos', () => {
  for (const which of ['sin', 'cos'] as const) {
    it(`${which}: within 1.2e-7 of the f64 value on |x| ≤ 4 and |x| ≤ 1e4, within 1.5e-6 below 2^16`, () => {
      expect(worstError(which, -4, 4, 400_000)).toBeLessThanOrEqual(1.2e-7);
      expect(worstError(which, -1e4, 1e4, 400_000)).toBeLessThanOrEqual(1.2e-7);
      expect(worstError(which, -65535, 65535, 200_000)).toBeLessThanOrEqual(1.5e-6);
    });

    it(`${which}: quadrant boundaries and multiples of π/2`, () => {
      for (let k = -40; k <= 40; k++)
        for (const d of [-1e-3, -1e-6, 0, 1e-6, 1e-3]) {
          const x = F((k * Math.PI) / 4 + d);
          expect(Math.abs(emulate(x, which) - F(which === 'sin' ? Math.sin(x) : Math.cos(x)))).toBeLessThanOrEqual(1.2e-7);
        }
    });
  }

  it('keeps IEEE special values: NaN for ±Inf and NaN, sin(±0) = ±0, cos(±0) = 1', () => {
    for (const x of [Infinity, -Infinity, NaN]) {
      expect(emulate(x, 'sin')).toBeNaN();
      expect(emulate(x, 'cos')).toBeNaN();
    }
    expect(Object.is(emulate(-0, 'sin'), -0)).toBe(true);
    expect(Object.is(emulate(0, 'sin'), 0)).toBe(true);
    expect(emulate(-0, 'cos')).toBe(1);
  });

  it('the WGSL reduces with the same constants and checks Inf/NaN by their bits', () => {
    const wgsl = helpersFor('kiln_sin(a) + kiln_cos(b)');
    for (const name of ['fn kiln_sin(', 'fn kiln_cos(', 'fn kiln_trig_poly(', 'fn kiln_nan(']) expect(wgsl).toContain(name);
    expect(wgsl).toContain('0x7f800000u) == 0x7f800000u');
    for (const c of TRIG.piOver2) expect(wgsl).toContain(`${String(F(c))}f`);
    for (const c of [...TRIG.sin, ...TRIG.cos]) expect(wgsl).toContain(String(Math.abs(F(c))));
  });
});
