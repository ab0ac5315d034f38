// kernel @fused_add_exp: elementwise / elementwise, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:output:f32
// Kiln kernel @fused_add_exp (class elementwise, template elementwise). IR computed here:
//   kernel @fused_add_exp(%a: f32[4], %b: f32[4]) -> (out: f32[4]) {
//     %0: f32[4] = add %a, %b
//     %1: f32[4] = exp %0
//     return %1
//   }
// @binding(0) in0: %a (input 0)
// @binding(1) in1: %b (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
// %a = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %b = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %0 = add %a, %b
fn v2(i: u32) -> f32 {
  return (v0(i) + v1(i));
}
// %1 = exp %0
fn v3(i: u32) -> f32 {
  return exp(v2(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 4u) { return; }
  out[i] = v3(i);
}
