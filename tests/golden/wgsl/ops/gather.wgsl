// kernel @fused_gather: single / gather, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:i32 2:output:f32
// Kiln kernel @fused_gather (class single, template gather). IR computed here:
//   kernel @fused_gather(%in0: f32[5,3], %in1: i32[2,4]) -> (out: f32[2,4,3]) {
//     %0: f32[2,4,3] = gather %in0, %in1 {axis=0}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
// %in1 = kernel input
fn v1(i: u32) -> i32 {
  return in1[i];
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = gather %in0, %in1
fn v2(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 24u) { return; }
  let q = o / 24u;
  let j = (o / 3u) % 8u;
  let p = o % 3u;
  let at = u32(clamp(v1(j), 0i, 4i));
  anchor_val = v0((q * 5u + at) * 3u + p);
  out[o] = v2(o);
}
