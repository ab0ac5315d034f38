// kernel @fused_reduce_window: single / reduce_window, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_reduce_window (class single, template reduce_window). IR computed here:
//   kernel @fused_reduce_window(%in0: f32[1,4,4,3]) -> (out: f32[1,2,2,3]) {
//     %0: f32[1,2,2,3] = reduce_window %in0 {kind="max", window=[1,2,2,1], stride=[1,2,2,1], padding=[[0,0],[0,0],[0,0],[0,0]]}
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
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = reduce_window %in0
fn v1(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 12u) { return; }
  var acc: f32 = bitcast<f32>(kiln_bits(0xff800000u));
  { let tp0 = 0u; let p0 = i32((0u * 1u)) + i32(tp0) - 0i; if (p0 >= 0i && p0 < 1i) {
  for (var tp1 = 0u; tp1 < 2u; tp1 = tp1 + 1u) {
    let p1 = i32(((o / 6u) * 2u)) + i32(tp1) - 0i;
    if (p1 < 0i || p1 >= 4i) { continue; }
  for (var tp2 = 0u; tp2 < 2u; tp2 = tp2 + 1u) {
    let p2 = i32((((o / 3u) % 2u) * 2u)) + i32(tp2) - 0i;
    if (p2 < 0i || p2 >= 4i) { continue; }
  { let tp3 = 0u; let p3 = i32(((o % 3u) * 1u)) + i32(tp3) - 0i; if (p3 >= 0i && p3 < 3i) {
      acc = kiln_max_f32(acc, v0((u32(p1) * 12u + u32(p2) * 3u + u32(p3))));
  } }
  }
  }
  } }
  anchor_val = acc;
  out[o] = v1(o);
}
