// kernel @fused_rsqrt: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_rsqrt (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_rsqrt(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = rsqrt %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_div_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  if ((bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u && (bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u) { return kiln_nan(); }
  if (b == 0.0f) {
    if (kiln_isnan(a) || a == 0.0f) { return kiln_nan(); }
    let negative = (a < 0.0f) != ((bitcast<u32>(b) & 0x80000000u) != 0u);
    return bitcast<f32>(kiln_bits(select(0x7f800000u, 0xff800000u, negative)));
  }
  return a / b;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = rsqrt %in0
fn v1(i: u32) -> f32 {
  return kiln_div_f32(1.0f, sqrt(v0(i)));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v1(i);
}
