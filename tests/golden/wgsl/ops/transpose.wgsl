// kernel @fused_transpose: elementwise / elementwise-w256-e4-v4, workgroup 256x1x1, grid 1x1x1, bindings 0:input:vec4<f32> 1:output:vec4<f32>
// Kiln kernel @fused_transpose (class elementwise, template elementwise-w256-e4-v4). IR computed here:
//   kernel @fused_transpose(%in0: f32[2,3,4]) -> (out: f32[4,2,3]) {
//     %0: f32[4,2,3] = transpose %in0 {perm=[2,0,1]}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
// %0 at elements 4q..4q+3
fn x1(q: u32) -> vec4<f32> {
  let i = q * 4u;
  return vec4<f32>(v1(i), v1(i + 1u), v1(i + 2u), v1(i + 3u));
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[(i) >> 2u][(i) & 3u];
}
// %0 = transpose %in0
fn v1(i: u32) -> f32 {
  return v0(((i / 6u) + (i % 6u) * 4u));
}
@compute @workgroup_size(256,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = wid.x * 256u + lid;
  if (q >= 6u) { return; }
  out[q] = x1(q);
}
