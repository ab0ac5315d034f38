// kernel @fused_reduce_max: reduction / reduction-serial, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_reduce_max (class reduction, template reduction-serial). IR computed here:
//   kernel @fused_reduce_max(%in0: f32[2,3]) -> (out: f32[2]) {
//     %0: f32[2] = reduce_max %in0 {axes=[1]}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_max_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  if (((ua | ub) & 0x7fffffffu) == 0u) { return bitcast<f32>(kiln_bits(ua & ub)); }
  return max(a, b);
}
fn red_index(o: u32, k: u32) -> u32 {
  return o * 3u + k;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = reduce_max %in0
fn v1(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 2u) { return; }
  var acc: f32 = bitcast<f32>(kiln_bits(0xff800000u));
  for (var k = 0u; k < 3u; k = k + 1u) { acc = kiln_max_f32(acc, v0(red_index(o, k))); }
  anchor_val = acc;
  out[o] = v1(o);
}
