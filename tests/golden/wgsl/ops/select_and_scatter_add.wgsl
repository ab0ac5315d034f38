// kernel @fused_select_and_scatter_add: single / select_and_scatter_add, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:output:f32
// Kiln kernel @fused_select_and_scatter_add (class single, template select_and_scatter_add). IR computed here:
//   kernel @fused_select_and_scatter_add(%in0: f32[1,2,2,3], %in1: f32[1,4,4,3]) -> (out: f32[1,4,4,3]) {
//     %0: f32[1,4,4,3] = select_and_scatter_add %in0, %in1 {window=[1,2,2,1], stride=[1,2,2,1], padding=[[0,0],[0,0],[0,0],[0,0]]}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_floor_div(a: i32, b: i32) -> i32 { let q = a / b; return select(q, q - 1i, (a % b != 0i) && ((a < 0i) != (b < 0i))); }
fn kiln_ceil_div(a: i32, b: i32) -> i32 { return -kiln_floor_div(-a, b); }
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = select_and_scatter_add %in0, %in1
fn v2(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x * 64u + lid;
  if (o >= 48u) { return; }
  let e0 = i32(0u);
  let slo0 = max(0i, kiln_ceil_div(e0 + 0i, 1i));
  let shi0 = min(0i, kiln_floor_div(e0 + 0i, 1i));
  let e1 = i32((o / 12u));
  let slo1 = max(0i, kiln_ceil_div(e1 + -1i, 2i));
  let shi1 = min(1i, kiln_floor_div(e1 + 0i, 2i));
  let e2 = i32(((o / 3u) % 4u));
  let slo2 = max(0i, kiln_ceil_div(e2 + -1i, 2i));
  let shi2 = min(1i, kiln_floor_div(e2 + 0i, 2i));
  let e3 = i32((o % 3u));
  let slo3 = max(0i, kiln_ceil_div(e3 + 0i, 1i));
  let shi3 = min(2i, kiln_floor_div(e3 + 0i, 1i));
  var acc = 0.0f;
    for (var s0 = slo0; s0 <= shi0; s0 = s0 + 1i) {
    for (var s1 = slo1; s1 <= shi1; s1 = s1 + 1i) {
    for (var s2 = slo2; s2 <= shi2; s2 = s2 + 1i) {
    for (var s3 = slo3; s3 <= shi3; s3 = s3 + 1i) {
      var best = -1i;
      var bv = 0.0f;
      { let tq0 = 0u; let q0 = i32((u32(s0) * 1u)) + i32(tq0) - 0i; if (q0 >= 0i && q0 < 1i) {
      for (var tq1 = 0u; tq1 < 2u; tq1 = tq1 + 1u) {
        let q1 = i32((u32(s1) * 2u)) + i32(tq1) - 0i;
        if (q1 < 0i || q1 >= 4i) { continue; }
      for (var tq2 = 0u; tq2 < 2u; tq2 = tq2 + 1u) {
        let q2 = i32((u32(s2) * 2u)) + i32(tq2) - 0i;
        if (q2 < 0i || q2 >= 4i) { continue; }
      { let tq3 = 0u; let q3 = i32((u32(s3) * 1u)) + i32(tq3) - 0i; if (q3 >= 0i && q3 < 3i) {
        let v = v1((u32(q1) * 12u + u32(q2) * 3u + u32(q3)));
        if (best < 0i || v > bv || (kiln_isnan(v) && !kiln_isnan(bv))) { bv = v; best = i32((u32(q1) * 12u + u32(q2) * 3u + u32(q3))); }
      } }
      }
      }
      } }
      if (best == i32(o)) { acc = acc + v0((u32(s1) * 6u + u32(s2) * 3u + u32(s3))); }
    }
    }
    }
    }
  anchor_val = acc;
  out[o] = v2(o);
}
