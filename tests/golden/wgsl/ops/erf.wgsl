// kernel @fused_erf: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_erf (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_erf(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = erf %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_erf(x: f32) -> f32 {
  if (kiln_isnan(x)) { return x; }
  let a = abs(x);
  if (a < 1.0f) {
    let z = x * x;
    return x * (1.128379225730896f + z * ((-0.37612637877464294f) + z * (0.11283791810274124f + z * ((-0.02686617150902748f) + z * (0.005223977845162153f + z * ((-0.0008548327023163438f) + z * (0.00012055332626914605f + z * ((-0.000014925650248187594f) + z * (0.0000016462114444948384f + z * ((-1.6365844146548625e-7f) + z * (1.4807192805221803e-8f)))))))))));
  }
  let t = 1.0f / (1.0f + 0.5f * a);
  let p = -1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f))))))));
  let r = 1.0f - t * exp(-a * a + p);
  return select(-r, r, (bitcast<u32>(x) & 0x80000000u) == 0u);
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = erf %in0
fn v1(i: u32) -> f32 {
  return kiln_erf(v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v1(i);
}
