// kernel @fused_tanh: elementwise / elementwise, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_tanh (class elementwise, template elementwise). IR computed here:
//   kernel @fused_tanh(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = tanh %in0
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
fn kiln_tanh(x: f32) -> f32 {
  if (kiln_isnan(x)) { return x; }
  let e = kiln_expm1(2.0f * min(abs(x), 15.0f));
  let r = e / (e + 2.0f);
  // The sign bit, not x >= 0: tanh(-0) is -0.
  return select(-r, r, (bitcast<u32>(x) & 0x80000000u) == 0u);
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = tanh %in0
fn v1(i: u32) -> f32 {
  return kiln_tanh(v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v1(i);
}
