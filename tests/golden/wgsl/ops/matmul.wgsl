// kernel @fused_matmul: matmul / matmul-simple, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:output:f32
// Kiln kernel @fused_matmul (class matmul, template matmul-simple). IR computed here:
//   kernel @fused_matmul(%in0: f32[2,3,4], %in1: f32[2,4,5]) -> (out: f32[2,3,5]) {
//     %0: f32[2,3,5] = matmul %in0, %in1
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
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
  return v0(b * 12u + m * 4u + k);
}
fn gemm_b(b: u32, k: u32, n: u32) -> f32 {
  return v1(b * 20u + k * 5u + n);
}
fn gemm_out(b: u32, m: u32, n: u32) -> u32 {
  return b * 15u + m * 5u + n;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %0 = matmul %in0, %in1
fn v2(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = wid.x * 64u + lid;
  if (t >= 30u) { return; }
  let b = t / 15u;
  let m = (t / 5u) % 3u;
  let n = t % 5u;
  var acc: f32 = 0f;
  for (var k = 0u; k < 4u; k = k + 1u) { acc = kiln_add_f32(acc, kiln_mul_f32(gemm_a(b, m, k), gemm_b(b, k, n))); }
  anchor_val = acc;
  let o = gemm_out(b, m, n);
  out[o] = v2(o);
}
