// kernel @fused_broadcast: elementwise / elementwise-w256-e4-v4, workgroup 256x1x1, grid 1x1x1, bindings 0:input:f32 1:output:vec4<f32>
// Kiln kernel @fused_broadcast (class elementwise, template elementwise-w256-e4-v4). IR computed here:
//   kernel @fused_broadcast(%in0: f32[1,3]) -> (out: f32[4,5,3]) {
//     %0: f32[4,5,3] = broadcast %in0 {dims=[0,2], shape=[4,5,3]}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
// %0 at elements 4q..4q+3
fn x1(q: u32) -> vec4<f32> {
  let i = q * 4u;
  return vec4<f32>(v1(i), v1(i + 1u), v1(i + 2u), v1(i + 3u));
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = broadcast %in0
fn v1(i: u32) -> f32 {
  return v0((i % 3u));
}
@compute @workgroup_size(256,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = wid.x * 256u + lid;
  if (q >= 15u) { return; }
  out[q] = x1(q);
}
