// Kiln's tanh (prelude.ts, prelude-x4.ts): the polynomial branch near 0 and 1 - 2/(e^2a + 1) beyond,
// emulated in f32 with the very constants the WGSL uses, against Math.tanh; and both forms' shape.

import { describe, expect, it } from 'vitest';
import { TANH_POLY, TANH_POLY_BELOW } from '../src/prelude-math.js';
import { helpersFor } from '../src/prelude.js';

const F = Math.fround;

function horner(cs: readonly number[], z: number): number {
  let acc = F(cs[cs.length - 1]!);
  for (let k = cs.length - 2; k >= 0; k--) acc = F(F(cs[k]!) + F(z * acc));
  return acc;
}

/** kiln_tanh as the WGSL evaluates it, one f32 rounding per operation (exp correctly rounded). */
function emulate(x: number): number {
  const a = F(Math.min(Math.abs(x), 15));
  const z = F(a * a);
  const r = a < TANH_POLY_BELOW ? F(a + F(F(a * z) * horner(TANH_POLY, z))) : F(1 - F(2 / F(F(Math.exp(F(2 * a))) + 1)));
  return x < 0 || Object.is(x, -0) ? -r : r;
}

/** Worst relative error over n + 1 points of [lo, hi] (and their negatives). */
function worstRelative(lo: number, hi: number, n: number): number {
  let worst = 0;
  for (let i = 0; i <= n; i++) {
    const x = F(lo + ((hi - lo) * i) / n);
    for (const s of [x, -x]) {
      const want = Math.tanh(s);
      if (want !== 0) worst = Math.max(worst, Math.abs(emulate(s) - want) / Math.abs(want));
    }
  }
  return worst;
}

describe('tanh', () => {
  it('is within 4e-7 relative of tanh near 0, across the branch point and up to saturation', () => {
    expect(worstRelative(1e-6, TANH_POLY_BELOW, 20000)).toBeLessThan(4e-7);
    expect(worstRelative(0.5, 1, 20000)).toBeLessThan(4e-7);
    expect(worstRelative(1, 20, 20000)).toBeLessThan(4e-7);
  });

  it('keeps tiny arguments, the sign of zero and saturates', () => {
    expect(emulate(1e-30)).toBe(F(1e-30));
    expect(Object.is(emulate(-0), -0)).toBe(true);
    expect(emulate(100)).toBe(1);
    expect(emulate(-100)).toBe(-1);
  });

  it('scalar and vec4 forms use one exp and no expm1', () => {
    for (const name of ['kiln_tanh', 'kiln_tanh_x4']) {
      const text = helpersFor(`${name}(x)`);
      const body = text.slice(text.indexOf(`fn ${name}(`));
      expect(body.match(/\bexp\(/g)).toHaveLength(1);
      expect(text).not.toContain('kiln_expm1');
    }
  });
});
