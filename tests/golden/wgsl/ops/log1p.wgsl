// kernel @fused_log1p: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_log1p (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_log1p(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = log1p %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_log1p(x: f32) -> f32 {
  if (kiln_isnan(x)) { return x; }
  if (abs(x) < 0.5f) {
    let s = x / (2.0f + x);
    let z = s * s;
    return s * (2f + z * (0.6666666865348816f + z * (0.4000000059604645f + z * (0.2857142984867096f + z * (0.2222222238779068f + z * (0.1818181872367859f + z * (0.1538461595773697f + z * (0.13333334028720856f + z * (0.11764705926179886f)))))))));
  }
  return kiln_log(1.0f + x);
}
fn kiln_log(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  if ((u & 0x7fffffffu) == 0u) { return bitcast<f32>(kiln_bits(0xff800000u)); }
  if (u > 0x7f800000u) { return kiln_nan(); }
  if (u == 0x7f800000u) { return x; }
  return log(x);
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = log1p %in0
fn v1(i: u32) -> f32 {
  return kiln_log1p(v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v1(i);
}
