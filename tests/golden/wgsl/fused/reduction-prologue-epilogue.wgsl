// kernel @fused_mul_reduce_sum_mul_sqrt: reduction / reduction-serial, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_mul_reduce_sum_mul_sqrt (class reduction, template reduction-serial). IR computed here:
//   kernel @fused_mul_reduce_sum_mul_sqrt(%in0: f32[5,3]) -> (out: f32[3]) {
//     %sq: f32[5,3] = mul %in0, %in0
//     %s: f32[3] = reduce_sum %sq {axes=[0]}
//     %n: f32[3] = constant {value=0.2}
//     %m: f32[3] = mul %s, %n
//     %y: f32[3] = sqrt %m
//     return %y
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
fn red_index(o: u32, k: u32) -> u32 {
  return o + k * 3u;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %sq = mul %in0, %in0
fn v1(i: u32) -> f32 {
  return (v0(i) * v0(i));
}
// %s = reduce_sum %sq
fn v2(i: u32) -> f32 {
  return anchor_val;
}
// %n = constant 
fn v3(i: u32) -> f32 {
  return 0.20000000298023224f;
}
// %m = mul %s, %n
fn v4(i: u32) -> f32 {
  return (v2(i) * v3(i));
}
// %y = sqrt %m
fn v5(i: u32) -> f32 {
  return sqrt(v4(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 3u) { return; }
  var acc: f32 = 0f;
  for (var k = 0u; k < 5u; k = k + 1u) { acc = (acc + v1(red_index(o, k))); }
  anchor_val = acc;
  out[o] = v5(o);
}
