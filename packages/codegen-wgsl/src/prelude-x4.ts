// vec4 forms of the prelude helpers (prelude.ts), for elementwise kernels that compute four
// elements per invocation: the IEEE special cases as branch-free selects on bit tests, or a vector
// fast path taken when all four lanes are ordinary numbers, falling back to the scalar helper per lane.

import { TANH_POLY_BELOW, f, tanhPoly } from './prelude-math.js';

const V = 'vec4<f32>';
const U = 'vec4<u32>';

/** `fn <name>_x4` applying the scalar helper to each lane (args: 1 or 2 vec4<f32>). */
function lanes(name: string, arity: 1 | 2): string {
  const params = arity === 1 ? `x: ${V}` : `a: ${V}, b: ${V}`;
  const call = (c: string): string => (arity === 1 ? `${name}(x.${c})` : `${name}(a.${c}, b.${c})`);
  return `fn ${name}_x4(${params}) -> ${V} { return ${V}(${['x', 'y', 'z', 'w'].map(call).join(', ')}); }`;
}

/**
 * A binary helper with a vector fast path: `fast` (a vec4<bool> over ma, mb = |a|, |b| bits) says
 * where the plain vector expression `plain` (over a, b) is already exact; when it holds in every
 * lane that expression is the result, else each lane takes the scalar helper.
 */
function fastBinary(name: string, plain: string, fast: string): string {
  return `fn ${name}_x4(a: ${V}, b: ${V}) -> ${V} {
  let ma = bitcast<${U}>(a) & ${U}(0x7fffffffu);
  let mb = bitcast<${U}>(b) & ${U}(0x7fffffffu);
  if (all(${fast})) { return ${plain}; }
  return ${V}(${name}(a.x, b.x), ${name}(a.y, b.y), ${name}(a.z, b.z), ${name}(a.w, b.w));
}`;
}

/** The scalar helpers with per-lane vec4 forms only (rare in hot elementwise chains). */
const LANE_ONLY_UNARY = ['kiln_log', 'kiln_log1p', 'kiln_expm1', 'kiln_erf', 'kiln_sin', 'kiln_cos', 'kiln_sign_f32'] as const;
const LANE_ONLY_BINARY = ['kiln_pow'] as const;

export const X4_HELPERS: Readonly<Record<string, string>> = {
  kiln_isnan_x4: `fn kiln_isnan_x4(x: ${V}) -> vec4<bool> { return (bitcast<${U}>(x) & ${U}(0x7fffffffu)) > ${U}(0x7f800000u); }`,
  kiln_nan_x4: `fn kiln_nan_x4() -> ${V} { return ${V}(kiln_nan()); }`,
  // The scalar helpers' fast paths, tested on all four lanes at once.
  kiln_add_f32_x4: fastBinary('kiln_add_f32', 'a + b', `(max(ma, mb) < ${U}(0x7f800000u)) & ((ma | mb) != ${U}(0u))`),
  kiln_mul_f32_x4: fastBinary('kiln_mul_f32', 'a * b', `max(ma - ${U}(1u), mb - ${U}(1u)) < ${U}(0x7f7fffffu)`),
  // a finite, b finite and nonzero: the scalar helper's last line, a / b.
  kiln_div_f32_x4: fastBinary('kiln_div_f32', 'a / b', `(ma < ${U}(0x7f800000u)) & ((mb - ${U}(1u)) < ${U}(0x7f7fffffu))`),
  kiln_sub_f32_x4: `fn kiln_sub_f32_x4(a: ${V}, b: ${V}) -> ${V} { return kiln_add_f32_x4(a, bitcast<${V}>(bitcast<${U}>(b) ^ ${U}(0x80000000u))); }`,
  // Neither NaN and not both zeros: the builtin is exact (the ±0 and NaN cases are the scalar helper's).
  kiln_max_f32_x4: fastBinary('kiln_max_f32', 'max(a, b)', `(max(ma, mb) <= ${U}(0x7f800000u)) & ((ma | mb) != ${U}(0u))`),
  kiln_min_f32_x4: fastBinary('kiln_min_f32', 'min(a, b)', `(max(ma, mb) <= ${U}(0x7f800000u)) & ((ma | mb) != ${U}(0u))`),
  // Special inputs decided on the bits, as kiln_exp does (some drivers give exp(NaN) = Inf).
  kiln_exp_x4: `fn kiln_exp_x4(x: ${V}) -> ${V} {
  let u = bitcast<${U}>(x);
  let r = select(exp(x), x, u == ${U}(0x7f800000u));
  return select(select(r, ${V}(0.0f), u == ${U}(0xff800000u)), kiln_nan_x4(), kiln_isnan_x4(x));
}`,
  kiln_logistic_x4: `fn kiln_logistic_x4(x: ${V}) -> ${V} {
  let e = exp(-abs(x));
  let r = 1.0f / (1.0f + e);
  return select(select(e * r, r, x >= ${V}(0.0f)), x, kiln_isnan_x4(x));
}`,
  kiln_tanh_x4: `fn kiln_tanh_x4(x: ${V}) -> ${V} {
  let a = min(abs(x), ${V}(15.0f));
  let z = a * a;
  let r = select(1.0f - 2.0f / (exp(2.0f * a) + 1.0f), ${tanhPoly('a', 'z')}, a < ${V}(${f(TANH_POLY_BELOW)}));
  let s = select(-r, r, (bitcast<${U}>(x) & ${U}(0x80000000u)) == ${U}(0u));
  return select(s, x, kiln_isnan_x4(x));
}`,
  ...Object.fromEntries(LANE_ONLY_UNARY.map((n) => [`${n}_x4`, lanes(n, 1)])),
  ...Object.fromEntries(LANE_ONLY_BINARY.map((n) => [`${n}_x4`, lanes(n, 2)])),
};
