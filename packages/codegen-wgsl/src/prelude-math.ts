// Pieces shared by the scalar prelude (prelude.ts) and its vec4 forms (prelude-x4.ts): f32
// literals, Horner polynomials, and tanh's polynomial branch.

/** c0 + z·(c1 + z·(…)) as WGSL text. */
export function horner(coeffs: readonly number[], z: string): string {
  let expr = f(coeffs[coeffs.length - 1]!);
  for (let k = coeffs.length - 2; k >= 0; k--) expr = `${f(coeffs[k]!)} + ${z} * (${expr})`;
  return expr;
}

/** An f32 WGSL literal of x (rounded to f32). */
export function f(x: number): string {
  const v = Math.fround(x);
  const s = `${String(Math.abs(v))}f`;
  return v < 0 ? `(-${s})` : s;
}

/**
 * tanh a = a + a·z·P(z), z = a², for 0 ≤ a < TANH_POLY_BELOW: Cephes tanhf's minimax polynomial
 * (relative error ~2e-7 there), so tanh needs no expm1 near 0.
 */
export const TANH_POLY = [-3.33332819422e-1, 1.33314422036e-1, -5.37397155531e-2, 2.06390887954e-2, -5.70498872745e-3] as const;
export const TANH_POLY_BELOW = 0.625;

/** The polynomial branch of tanh, for `a` ≥ 0 and `z` = a² (scalars or vectors). */
export function tanhPoly(a: string, z: string): string {
  return `${a} + ${a} * ${z} * (${horner(TANH_POLY, z)})`;
}
