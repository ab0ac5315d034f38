// kernel @fused_matmul_add_max: matmul / matmul-simple, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:input:f32 3:output:f32
// Kiln kernel @fused_matmul_add_max (class matmul, template matmul-simple). IR computed here:
//   kernel @fused_matmul_add_max(%in0: f32[2,3], %in1: f32[3,4], %in2: f32[4]) -> (out: f32[2,4]) {
//     %0: f32[2,4] = matmul %in0, %in1
//     %1: f32[2,4] = broadcast %in2 {dims=[1], shape=[2,4]}
//     %2: f32[2,4] = add %0, %1
//     %3: f32[2,4] = constant {value=0}
//     %4: f32[2,4] = max %2, %3
//     return %4
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
  return v0(b * 6u + m * 3u + k);
}
fn gemm_b(b: u32, k: u32, n: u32) -> f32 {
  return v1(b * 12u + k * 4u + n);
}
fn gemm_out(b: u32, m: u32, n: u32) -> u32 {
  return b * 8u + m * 4u + n;
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
fn v3(i: u32) -> f32 {
  return anchor_val;
}
// %in2 = kernel input
fn v2(i: u32) -> f32 {
  return in2[i];
}
// %1 = broadcast %in2
fn v4(i: u32) -> f32 {
  return v2((i % 4u));
}
// %2 = add %0, %1
fn v5(i: u32) -> f32 {
  return kiln_add_f32(v3(i), v4(i));
}
// %3 = constant 
fn v6(i: u32) -> f32 {
  return 0f;
}
// %4 = max %2, %3
fn v7(i: u32) -> f32 {
  return kiln_max_f32(v5(i), v6(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = wid.x * 64u + lid;
  if (t >= 8u) { return; }
  let b = t / 8u;
  let m = (t / 4u) % 2u;
  let n = t % 4u;
  var acc: f32 = 0f;
  for (var k = 0u; k < 3u; k = k + 1u) { acc = kiln_add_f32(acc, kiln_mul_f32(gemm_a(b, m, k), gemm_b(b, k, n))); }
  anchor_val = acc;
  let o = gemm_out(b, m, n);
  out[o] = v7(o);
}
