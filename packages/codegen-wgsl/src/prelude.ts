// WGSL helper functions shared by generated kernels: the scalar semantics WGSL lacks or defines
// differently from the CPU interpreter (erf, log1p, expm1, stable logistic/tanh, NaN-propagating
// max/min, saturating casts, pow for negative bases), sin/cos accurate on every adapter, and the
// counter-based RNG mixer.
// A helper is included only when the shader text calls it (scanned, transitively); the vec4
// forms of the hot helpers are in prelude-x4.ts.

import { TANH_POLY_BELOW, f, horner, tanhPoly } from './prelude-math.js';
import { X4_HELPERS } from './prelude-x4.js';

/** Maclaurin coefficients of erf: (2/√π)·(-1)^n / (n!·(2n+1)), n = 0..10 (|x| < 1, error < 1e-8). */
function erfSeries(): number[] {
  const out: number[] = [];
  let fact = 1;
  for (let n = 0; n <= 10; n++) {
    if (n > 0) fact *= n;
    out.push(((n % 2 === 0 ? 1 : -1) * 1.1283791670955126) / (fact * (2 * n + 1)));
  }
  return out;
}

const expm1Coeffs = Array.from({ length: 12 }, (_, n) => {
  let fact = 1;
  for (let k = 2; k <= n + 1; k++) fact *= k;
  return 1 / fact;
});
// log1p(x) = 2·atanh(s), s = x/(2+x): 2·(s + s³/3 + s⁵/5 + …) in powers of s².
const atanhCoeffs = Array.from({ length: 9 }, (_, n) => 2 / (2 * n + 1));

/**
 * sin/cos by Kiln's own range reduction: WGSL only bounds the builtins' absolute error by 2^-11 on
 * [-π, π], and SwiftShader (Chromium's software adapter) is off by ~1.9e-4. x = q·π/2 + r with
 * q = round(x·2/π) and π/2 split Cody–Waite style into three parts (Cephes sinf's, doubled): the
 * first two have few mantissa bits, so q·part is exact for |q| < 2^13 and the subtractions lose
 * nothing; then minimax polynomials for sin and cos on |r| ≤ π/4 (Cephes sinf/cosf), picked and
 * signed by q mod 4. Error ≤ 1.2e-7 for |x| ≤ 1e4 (measured in f32 emulation, see the tests).
 */
export const TRIG = {
  twoOverPi: 0.6366197723675814,
  /** π/2 = c1 + c2 + c3 (c1: 8 significant bits, c2: 11). */
  piOver2: [1.5703125, 4.837512969970703125e-4, 7.549789954891882e-8] as const,
  /** sin r = r + r³·(s0 + r²·(s1 + r²·s2)). */
  sin: [-1.6666654611e-1, 8.3321608736e-3, -1.9515295891e-4] as const,
  /** cos r = 1 − r²/2 + r⁴·(c0 + r²·(c1 + r²·c2)). */
  cos: [4.166664568298827e-2, -1.388731625493765e-3, 2.443315711809948e-5] as const,
  /**
   * Beyond this |x| (2^16, where one f32 ulp of x is already 2^-7) the reduction's products are no
   * longer exact: the driver's builtin answers there, bounded in [-1, 1] at least.
   */
  reducedBelow: 65536,
} as const;

/** sin (cos: the quadrant shifted by one) of x; NaN for ±Inf and NaN, as IEEE says. */
function trigHelper(name: 'kiln_sin' | 'kiln_cos'): string {
  const [c1, c2, c3] = TRIG.piOver2;
  const builtin = name === 'kiln_sin' ? 'sin' : 'cos';
  return `fn ${name}(x: f32) -> f32 {
  if ((bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u) { return kiln_nan(); }
  if (abs(x) >= ${f(TRIG.reducedBelow)}) { return ${builtin}(x); }
  let q = round(x * ${f(TRIG.twoOverPi)});
  // q = 0 keeps x itself (its sign too: -0 - -0 would give +0).
  let r = select(((x - q * ${f(c1)}) - q * ${f(c2)}) - q * ${f(c3)}, x, q == 0.0f);
  return kiln_trig_poly(r, i32(q)${name === 'kiln_cos' ? ' + 1i' : ''});
}`;
}

const HELPERS: Readonly<Record<string, string>> = {
  kiln_bits: 'fn kiln_bits(x: u32) -> u32 { return x; }',
  // NaN tests look at the bits: drivers compile float code with no-NaN assumptions, under
  // which `x != x` may fold to false.
  kiln_isnan: 'fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }',
  kiln_nan: 'fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }',
  // max(+0, -0) is +0 and min is -0 (IEEE 754-2019 maximum/minimum); WGSL leaves it to the driver.
  kiln_max_f32: `fn kiln_max_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  if (((ua | ub) & 0x7fffffffu) == 0u) { return bitcast<f32>(kiln_bits(ua & ub)); }
  return max(a, b);
}`,
  kiln_min_f32: `fn kiln_min_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  if (((ua | ub) & 0x7fffffffu) == 0u) { return bitcast<f32>(kiln_bits(ua | ub)); }
  return min(a, b);
}`,
  // IEEE division even where the driver sees a constant zero divisor (Mesa folds x / 0.0 to 0).
  kiln_div_f32: `fn kiln_div_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  if ((bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u && (bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u) { return kiln_nan(); }
  if (b == 0.0f) {
    if (kiln_isnan(a) || a == 0.0f) { return kiln_nan(); }
    let negative = (a < 0.0f) != ((bitcast<u32>(b) & 0x80000000u) != 0u);
    return bitcast<f32>(kiln_bits(select(0x7f800000u, 0xff800000u, negative)));
  }
  return a / b;
}`,
  kiln_sign_f32: 'fn kiln_sign_f32(x: f32) -> f32 { if (x > 0.0f) { return 1.0f; } if (x < 0.0f) { return -1.0f; } return x; }',
  kiln_f32_to_i32: `fn kiln_f32_to_i32(x: f32) -> i32 {
  if (kiln_isnan(x)) { return 0i; }
  if (x >= 2147483647.0f) { return 2147483647i; }
  if (x <= -2147483648.0f) { return -2147483647i - 1i; }
  return i32(x);
}`,
  kiln_f32_to_u32: `fn kiln_f32_to_u32(x: f32) -> u32 {
  if (kiln_isnan(x) || x <= 0.0f) { return 0u; }
  if (x >= 4294967295.0f) { return 4294967295u; }
  return u32(x);
}`,
  kiln_expm1: `fn kiln_expm1(x: f32) -> f32 {
  if (kiln_isnan(x)) { return x; }
  if (abs(x) < 0.5f) { return x * (${horner(expm1Coeffs, 'x')}); }
  return exp(x) - 1.0f;
}`,
  // log1p: below -1 NaN, at -1 -Inf, +Inf itself (SwiftShader's log gives finite garbage there).
  kiln_log1p: `fn kiln_log1p(x: f32) -> f32 {
  if (kiln_isnan(x)) { return x; }
  if (abs(x) < 0.5f) {
    let s = x / (2.0f + x);
    let z = s * s;
    return s * (${horner(atanhCoeffs, 'z')});
  }
  return kiln_log(1.0f + x);
}`,
  // WGSL leaves log and exp of special values to the implementation (SwiftShader: log(-1) = 0,
  // log(0) = -88, exp(NaN) = Inf), so the IEEE answers are decided on the bits.
  kiln_log: `fn kiln_log(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  if ((u & 0x7fffffffu) == 0u) { return bitcast<f32>(kiln_bits(0xff800000u)); }
  if (u > 0x7f800000u) { return kiln_nan(); }
  if (u == 0x7f800000u) { return x; }
  return log(x);
}`,
  kiln_exp: `fn kiln_exp(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  if ((u & 0x7fffffffu) > 0x7f800000u) { return kiln_nan(); }
  if (u == 0x7f800000u) { return x; }
  if (u == 0xff800000u) { return 0.0f; }
  return exp(x);
}`,
  // Branch-free: NaN is selected on the bits at the end (what exp makes of it does not matter).
  kiln_logistic: `fn kiln_logistic(x: f32) -> f32 {
  let e = exp(-abs(x));
  let r = 1.0f / (1.0f + e);
  return select(select(e * r, r, x >= 0.0f), x, kiln_isnan(x));
}`,
  kiln_tanh: `fn kiln_tanh(x: f32) -> f32 {
  let a = min(abs(x), 15.0f);
  let z = a * a;
  // One exp: below TANH_POLY_BELOW an odd polynomial (no cancellation near 0), above it
  // 1 - 2/(e^2a + 1), where tanh ≥ 0.55 and the subtraction loses nothing.
  let r = select(1.0f - 2.0f / (exp(2.0f * a) + 1.0f), ${tanhPoly('a', 'z')}, a < ${f(TANH_POLY_BELOW)});
  // The sign bit, not x >= 0: tanh(-0) is -0; NaN selected on the bits, as in kiln_logistic.
  return select(select(-r, r, (bitcast<u32>(x) & 0x80000000u) == 0u), x, kiln_isnan(x));
}`,
  kiln_erf: `fn kiln_erf(x: f32) -> f32 {
  if (kiln_isnan(x)) { return x; }
  let a = abs(x);
  if (a < 1.0f) {
    let z = x * x;
    return x * (${horner(erfSeries(), 'z')});
  }
  let t = 1.0f / (1.0f + 0.5f * a);
  let p = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
  let r = 1.0f - t * exp(-a * a + p);
  return select(-r, r, (bitcast<u32>(x) & 0x80000000u) == 0u);
}`,
  // C99 Annex F pow, case by case with bit tests (the driver's pow is exp2(b·log2(a)), which is NaN
  // for a < 0 and 0·Inf): pow(x, ±0) = pow(1, y) = 1 even for NaN; pow(-1, ±Inf) = 1; ±0 and ±Inf
  // bases give 0 or Inf, negative when the base is negative and b an odd integer.
  kiln_pow: `fn kiln_pow(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ma = ua & 0x7fffffffu;
  let mb = bitcast<u32>(b) & 0x7fffffffu;
  if (mb == 0u || ua == 0x3f800000u) { return 1.0f; }
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  let inf = bitcast<f32>(kiln_bits(0x7f800000u));
  if (mb == 0x7f800000u) {
    if (ma == 0x3f800000u) { return 1.0f; }
    return select(0.0f, inf, (ma > 0x3f800000u) == (b > 0.0f));
  }
  let negative = (ua & 0x80000000u) != 0u;
  let integer = floor(b) == b;
  let half = 0.5f * b;
  let odd = integer && floor(half) != half;
  if (ma == 0u) {
    let r = select(0.0f, inf, b < 0.0f);
    return select(r, -r, negative && odd);
  }
  if (ma == 0x7f800000u) {
    let r = select(0.0f, inf, b > 0.0f);
    return select(r, -r, negative && odd);
  }
  let r = pow(abs(a), b);
  if (!negative) { return r; }
  if (!integer) { return kiln_nan(); }
  return select(r, -r, odd);
}`,
  // IEEE add/mul with the special cases decided on the bits, so a driver that folds x*0 → 0,
  // x-x → 0 or x+0 → x (no-NaN, no-signed-zero fast math) cannot change NaN, ±Inf or ±0 results.
  kiln_add_f32: `fn kiln_add_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let ma = ua & 0x7fffffffu;
  let mb = ub & 0x7fffffffu;
  // Fast path: both finite and not both zero, where every fold a driver makes is exact.
  if (max(ma, mb) < 0x7f800000u && (ma | mb) != 0u) { return a + b; }
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  if (ma == 0x7f800000u) { return select(a, kiln_nan(), mb == 0x7f800000u && ua != ub); }
  if (mb == 0x7f800000u) { return b; }
  return bitcast<f32>(kiln_bits(ua & ub));
}`,
  kiln_sub_f32: 'fn kiln_sub_f32(a: f32, b: f32) -> f32 { return kiln_add_f32(a, bitcast<f32>(kiln_bits(bitcast<u32>(b) ^ 0x80000000u))); }',
  kiln_mul_f32: `fn kiln_mul_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let ma = ua & 0x7fffffffu;
  let mb = ub & 0x7fffffffu;
  // Fast path: both finite and nonzero (ma - 1 wraps for zero).
  if (max(ma - 1u, mb - 1u) < 0x7f7fffffu) { return a * b; }
  let sign = (ua ^ ub) & 0x80000000u;
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  if (ma == 0x7f800000u || mb == 0x7f800000u) {
    if (ma == 0u || mb == 0u) { return kiln_nan(); }
    return bitcast<f32>(kiln_bits(sign | 0x7f800000u));
  }
  return bitcast<f32>(kiln_bits(sign));
}`,
  // n = the quadrant: sin r, cos r, -sin r, -cos r for n mod 4 = 0..3 (n & 3 is that for negative n too).
  kiln_trig_poly: `fn kiln_trig_poly(r: f32, n: i32) -> f32 {
  let z = r * r;
  // z = 0: r itself, so sin(-0) is -0 (r + r·0·p would round to +0).
  let s = select(r + r * z * (${horner(TRIG.sin, 'z')}), r, z == 0.0f);
  let c = (1.0f - 0.5f * z) + z * z * (${horner(TRIG.cos, 'z')});
  let v = select(s, c, (n & 1i) == 1i);
  return select(v, -v, (n & 2i) == 2i);
}`,
  kiln_sin: trigHelper('kiln_sin'),
  kiln_cos: trigHelper('kiln_cos'),
  kiln_mix32: `fn kiln_mix32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}`,
};

const HELPER_RE = /\bkiln_[a-z0-9_]+(?=\s*\()/g;

/** The helper definitions `code` needs (transitively), in a stable order. */
export function helpersFor(code: string): string {
  const defOf = (name: string): string | undefined => HELPERS[name] ?? X4_HELPERS[name];
  const needed = new Set<string>();
  const queue = [code];
  while (queue.length > 0) {
    const text = queue.pop()!;
    for (const m of text.matchAll(HELPER_RE)) {
      const name = m[0];
      const def = defOf(name);
      if (def === undefined || needed.has(name)) continue;
      needed.add(name);
      queue.push(def);
    }
  }
  return [...Object.keys(HELPERS), ...Object.keys(X4_HELPERS)]
    .filter((n) => needed.has(n))
    .map((n) => defOf(n)!)
    .join('\n');
}
