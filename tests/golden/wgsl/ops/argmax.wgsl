// kernel @fused_argmax: reduction / reduction-serial, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:i32
// Kiln kernel @fused_argmax (class reduction, template reduction-serial). IR computed here:
//   kernel @fused_argmax(%in0: f32[2,3]) -> (out: i32[2]) {
//     %0: i32[2] = argmax %in0 {axis=1}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
var<private> anchor_val: i32;
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn red_index(o: u32, k: u32) -> u32 {
  return o * 3u + k;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = argmax %in0
fn v1(i: u32) -> i32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 2u) { return; }
  var best: f32 = v0(red_index(o, 0u));
  var bi = 0u;
  for (var k = 1u; k < 3u; k = k + 1u) {
    let v = v0(red_index(o, k));
    if (v > best || (kiln_isnan(v) && !kiln_isnan(best))) { best = v; bi = k; }
  }
  anchor_val = i32(bi);
  out[o] = v1(o);
}
