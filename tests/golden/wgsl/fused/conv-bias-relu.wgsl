// kernel @fused_mul_conv_add_max: conv / conv-simple, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:input:f32 3:output:f32
// Kiln kernel @fused_mul_conv_add_max (class conv, template conv-simple). IR computed here:
//   kernel @fused_mul_conv_add_max(%in0: f32[1,4,4,2], %in1: f32[3,3,2,4], %in2: f32[4]) -> (out: f32[1,4,4,4]) {
//     %two: f32[1,4,4,2] = constant {value=2}
//     %xs: f32[1,4,4,2] = mul %in0, %two
//     %c: f32[1,4,4,4] = conv %xs, %in1 {stride=[1,1], padding=[[1,1],[1,1]], lhs_dilation=[1,1], rhs_dilation=[1,1], groups=1}
//     %bb: f32[1,4,4,4] = broadcast %in2 {dims=[3], shape=[1,4,4,4]}
//     %z: f32[1,4,4,4] = add %c, %bb
//     %zero: f32[1,4,4,4] = constant {value=0}
//     %y: f32[1,4,4,4] = max %z, %zero
//     return %y
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) in2: %in2 (input 2)
// @binding(3) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_max_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  if (((ua | ub) & 0x7fffffffu) == 0u) { return bitcast<f32>(kiln_bits(ua & ub)); }
  return max(a, b);
}
fn kiln_add_f32(a: f32, b: f32) -> f32 {
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
}
fn kiln_mul_f32(a: f32, b: f32) -> f32 {
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
}
fn gemm_a(b: u32, m: u32, k: u32) -> f32 {
  let nb = m / 16u;
  let pos = m % 16u;
  let tap = k / 2u;
  let ci = k % 2u;
  let p0 = i32((pos / 4u) * 1u + (tap / 3u) * 1u) - 1i;
  if (p0 < 0i) { return 0.0f; }
  let q0 = u32(p0);
  if (q0 >= 4u) { return 0.0f; }
  let p1 = i32((pos % 4u) * 1u + (tap % 3u) * 1u) - 1i;
  if (p1 < 0i) { return 0.0f; }
  let q1 = u32(p1);
  if (q1 >= 4u) { return 0.0f; }
  return v4((q0 * 8u + q1 * 2u + ci));
}
fn gemm_b(b: u32, k: u32, n: u32) -> f32 {
  return v1(k * 4u + n);
}
fn gemm_out(b: u32, m: u32, n: u32) -> u32 {
  return m * 4u + n;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %two = constant 
fn v3(i: u32) -> f32 {
  return 2f;
}
// %xs = mul %in0, %two
fn v4(i: u32) -> f32 {
  return (v0(i) * v3(i));
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %c = conv %xs, %in1
fn v5(i: u32) -> f32 {
  return anchor_val;
}
// %in2 = kernel input
fn v2(i: u32) -> f32 {
  return in2[i];
}
// %bb = broadcast %in2
fn v6(i: u32) -> f32 {
  return v2((i % 4u));
}
// %z = add %c, %bb
fn v7(i: u32) -> f32 {
  return kiln_add_f32(v5(i), v6(i));
}
// %zero = constant 
fn v8(i: u32) -> f32 {
  return 0f;
}
// %y = max %z, %zero
fn v9(i: u32) -> f32 {
  return kiln_max_f32(v7(i), v8(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = wid.x * 64u + lid;
  if (t >= 64u) { return; }
  let b = t / 64u;
  let m = (t / 4u) % 16u;
  let n = t % 4u;
  var acc: f32 = 0f;
  for (var k = 0u; k < 18u; k = k + 1u) { acc = kiln_add_f32(acc, kiln_mul_f32(gemm_a(b, m, k), gemm_b(b, k, n))); }
  anchor_val = acc;
  let o = gemm_out(b, m, n);
  out[o] = v9(o);
}
