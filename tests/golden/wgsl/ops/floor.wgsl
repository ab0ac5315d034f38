// kernel @fused_floor: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_floor (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_floor(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = floor %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = floor %in0
fn v1(i: u32) -> f32 {
  return floor(v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v1(i);
}
