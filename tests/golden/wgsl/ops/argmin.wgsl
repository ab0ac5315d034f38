// kernel @fused_argmin: reduction / reduction-serial, workgroup 64x1x1, grid 1x1x1, bindings 0:input:u32 1:output:i32
// Kiln kernel @fused_argmin (class reduction, template reduction-serial). IR computed here:
//   kernel @fused_argmin(%in0: u32[4,3]) -> (out: i32[3]) {
//     %0: i32[3] = argmin %in0 {axis=0}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
var<private> anchor_val: i32;
fn red_index(o: u32, k: u32) -> u32 {
  return o + k * 3u;
}
// %in0 = kernel input
fn v0(i: u32) -> u32 {
  return in0[i];
}
// %0 = argmin %in0
fn v1(i: u32) -> i32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 3u) { return; }
  var best: u32 = v0(red_index(o, 0u));
  var bi = 0u;
  for (var k = 1u; k < 4u; k = k + 1u) {
    let v = v0(red_index(o, k));
    if (v < best) { best = v; bi = k; }
  }
  anchor_val = i32(bi);
  out[o] = v1(o);
}
