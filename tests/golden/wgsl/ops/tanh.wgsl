// kernel @fused_tanh: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_tanh (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_tanh(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = tanh %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_tanh(x: f32) -> f32 {
  let a = min(abs(x), 15.0f);
  let z = a * a;
  // One exp: below TANH_POLY_BELOW an odd polynomial (no cancellation near 0), above it
  // 1 - 2/(e^2a + 1), where tanh ≥ 0.55 and the subtraction loses nothing.
  let r = select(1.0f - 2.0f / (exp(2.0f * a) + 1.0f), a + a * z * ((-0.3333328068256378f) + z * (0.13331441581249237f + z * ((-0.05373971536755562f) + z * (0.0206390880048275f + z * ((-0.0057049887254834175f)))))), a < 0.625f);
  // The sign bit, not x >= 0: tanh(-0) is -0; NaN selected on the bits, as in kiln_logistic.
  return select(select(-r, r, (bitcast<u32>(x) & 0x80000000u) == 0u), x, kiln_isnan(x));
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
