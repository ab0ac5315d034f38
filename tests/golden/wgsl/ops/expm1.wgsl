// kernel @fused_expm1: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_expm1 (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_expm1(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = expm1 %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_expm1(x: f32) -> f32 {
  if (kiln_isnan(x)) { return x; }
  if (abs(x) < 0.5f) { return x * (1f + x * (0.5f + x * (0.1666666716337204f + x * (0.0416666679084301f + x * (0.008333333767950535f + x * (0.0013888889225199819f + x * (0.00019841270113829523f + x * (0.000024801587642286904f + x * (0.0000027557318844628753f + x * (2.755731998149713e-7f + x * (2.5052107943679403e-8f + x * (2.0876755879584152e-9f)))))))))))); }
  return exp(x) - 1.0f;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = expm1 %in0
fn v1(i: u32) -> f32 {
  return kiln_expm1(v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v1(i);
}
