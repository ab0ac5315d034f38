// kernel @fused_reduce_min: reduction / reduction-serial, workgroup 64x1x1, grid 1x1x1, bindings 0:input:i32 1:output:i32
// Kiln kernel @fused_reduce_min (class reduction, template reduction-serial). IR computed here:
//   kernel @fused_reduce_min(%in0: i32[5]) -> (out: i32[]) {
//     %0: i32[] = reduce_min %in0 {axes=[0]}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
var<private> anchor_val: i32;
fn red_index(o: u32, k: u32) -> u32 {
  return 0u + k;
}
// %in0 = kernel input
fn v0(i: u32) -> i32 {
  return in0[i];
}
// %0 = reduce_min %in0
fn v1(i: u32) -> i32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 1u) { return; }
  var acc: i32 = 2147483647i;
  for (var k = 0u; k < 5u; k = k + 1u) { acc = min(acc, v0(red_index(o, k))); }
  anchor_val = acc;
  out[o] = v1(o);
}
