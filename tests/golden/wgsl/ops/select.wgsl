// kernel @fused_select: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:u32 1:input:f32 2:input:f32 3:output:f32
// Kiln kernel @fused_select (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_select(%in0: bool[2,3], %in1: f32[2,3], %in2: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = select %in0, %in1, %in2
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) in2: %in2 (input 2)
// @binding(3) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<u32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
// %in0 = kernel input
fn v0(i: u32) -> bool {
  return (in0[i] != 0u);
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %in2 = kernel input
fn v2(i: u32) -> f32 {
  return in2[i];
}
// %0 = select %in0, %in1, %in2
fn v3(i: u32) -> f32 {
  return select(v2(i), v1(i), v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v3(i);
}
