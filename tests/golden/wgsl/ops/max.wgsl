// kernel @fused_max: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:output:f32
// Kiln kernel @fused_max (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_max(%in0: f32[2,3], %in1: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = max %in0, %in1
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
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
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %0 = max %in0, %in1
fn v2(i: u32) -> f32 {
  return kiln_max_f32(v0(i), v1(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v2(i);
}
