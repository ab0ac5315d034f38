// kernel @fused_reduce_sum: reduction / reduction-serial, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_reduce_sum (class reduction, template reduction-serial). IR computed here:
//   kernel @fused_reduce_sum(%in0: f32[2,3,4]) -> (out: f32[3]) {
//     %0: f32[3] = reduce_sum %in0 {axes=[0,2]}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
fn red_index(o: u32, k: u32) -> u32 {
  return o * 4u + ((k / 4u) * 12u + (k % 4u));
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = reduce_sum %in0
fn v1(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 3u) { return; }
  var acc: f32 = 0f;
  for (var k = 0u; k < 8u; k = k + 1u) { acc = (acc + v0(red_index(o, k))); }
  anchor_val = acc;
  out[o] = v1(o);
}
