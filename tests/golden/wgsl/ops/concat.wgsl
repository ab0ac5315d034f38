// kernel @fused_concat: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:input:f32 3:output:f32
// Kiln kernel @fused_concat (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_concat(%in0: f32[2,3], %in1: f32[4,3], %in2: f32[1,3]) -> (out: f32[7,3]) {
//     %0: f32[7,3] = concat %in0, %in1, %in2 {axis=0}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) in2: %in2 (input 2)
// @binding(3) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %in2 = kernel input
fn v2(i: u32) -> f32 {
  return in2[i];
}
// %0 = concat %in0, %in1, %in2
fn v3(i: u32) -> f32 {
  let c = (i / 3u);
  if (c < 2u) { return v0(i); }
  if (c < 6u) { return v1((i - 6u)); }
  return v2((i - 18u));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 21u) { return; }
  out[i] = v3(i);
}
