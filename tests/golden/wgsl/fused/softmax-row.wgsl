// kernel @fused_reduce_max_sub_exp_reduce_sum_div: row / row, workgroup 64x1x1, grid 4x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_reduce_max_sub_exp_reduce_sum_div (class row, template row). IR computed here:
//   kernel @fused_reduce_max_sub_exp_reduce_sum_div(%in0: f32[4,8]) -> (out: f32[4,8]) {
//     %m: f32[4] = reduce_max %in0 {axes=[1]}
//     %mk: f32[4,1] = reshape %m {shape=[4,1]}
//     %mb: f32[4,8] = broadcast %mk {dims=[0,1], shape=[4,8]}
//     %d: f32[4,8] = sub %in0, %mb
//     %e: f32[4,8] = exp %d
//     %s: f32[4] = reduce_sum %e {axes=[1]}
//     %sb: f32[4,8] = broadcast %s {dims=[0], shape=[4,8]}
//     %y: f32[4,8] = div %e, %sb
//     return %y
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
var<private> row_0: f32;
var<workgroup> sh_0: array<f32, 64>;
var<private> row_1: f32;
var<workgroup> sh_1: array<f32, 64>;
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
fn kiln_div_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  if ((bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u && (bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u) { return kiln_nan(); }
  if (b == 0.0f) {
    if (kiln_isnan(a) || a == 0.0f) { return kiln_nan(); }
    let negative = (a < 0.0f) != ((bitcast<u32>(b) & 0x80000000u) != 0u);
    return bitcast<f32>(kiln_bits(select(0x7f800000u, 0xff800000u, negative)));
  }
  return a / b;
}
fn kiln_exp(x: f32) -> f32 {
  let u = bitcast<u32>(x);
  if ((u & 0x7fffffffu) > 0x7f800000u) { return kiln_nan(); }
  if (u == 0x7f800000u) { return x; }
  if (u == 0xff800000u) { return 0.0f; }
  return exp(x);
}
fn kiln_add_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let ma = ua & 0x7fffffffu;
  let mb = ub & 0x7fffffffu;
  // Fast path: both finite and not both zero, where every fold a driver makes is exact.
  if (max(ma, mb) < 0x7f800000u && (ma | mb) != 0u) { return a + b; }
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  if (ma == 0x7f800000u) { return select(a, kiln_nan(), mb == 0x7f800000u && ua != ub); }
  if (mb == 0x7f800000u) { return b; }
  return bitcast<f32>(kiln_bits(ua & ub));
}
fn kiln_sub_f32(a: f32, b: f32) -> f32 { return kiln_add_f32(a, bitcast<f32>(kiln_bits(bitcast<u32>(b) ^ 0x80000000u))); }
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %m = reduce_max %in0
fn v1(i: u32) -> f32 {
  return row_0;
}
// %mk = reshape %m
fn v2(i: u32) -> f32 {
  return v1(i);
}
// %mb = broadcast %mk
fn v3(i: u32) -> f32 {
  return v2((i / 8u));
}
// %d = sub %in0, %mb
fn v4(i: u32) -> f32 {
  return kiln_sub_f32(v0(i), v3(i));
}
// %e = exp %d
fn v5(i: u32) -> f32 {
  return kiln_exp(v4(i));
}
// %s = reduce_sum %e
fn v6(i: u32) -> f32 {
  return row_1;
}
// %sb = broadcast %s
fn v7(i: u32) -> f32 {
  return v6((i / 8u));
}
// %y = div %e, %sb
fn v8(i: u32) -> f32 {
  return kiln_div_f32(v5(i), v7(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  if (row >= 4u) { return; }
  // %m = reduce_max %in0
  var acc_0: f32 = bitcast<f32>(kiln_bits(0xff800000u));
  for (var j = lid; j < 8u; j = j + 64u) { acc_0 = kiln_max_f32(acc_0, v0(row * 8u + j)); }
  sh_0[lid] = acc_0;
  workgroupBarrier();
  if (lid < 32u) { sh_0[lid] = kiln_max_f32(sh_0[lid], sh_0[lid + 32u]); }
  workgroupBarrier();
  if (lid < 16u) { sh_0[lid] = kiln_max_f32(sh_0[lid], sh_0[lid + 16u]); }
  workgroupBarrier();
  if (lid < 8u) { sh_0[lid] = kiln_max_f32(sh_0[lid], sh_0[lid + 8u]); }
  workgroupBarrier();
  if (lid < 4u) { sh_0[lid] = kiln_max_f32(sh_0[lid], sh_0[lid + 4u]); }
  workgroupBarrier();
  if (lid < 2u) { sh_0[lid] = kiln_max_f32(sh_0[lid], sh_0[lid + 2u]); }
  workgroupBarrier();
  if (lid < 1u) { sh_0[lid] = kiln_max_f32(sh_0[lid], sh_0[lid + 1u]); }
  workgroupBarrier();
  row_0 = sh_0[0];
  // %s = reduce_sum %e
  var acc_1: f32 = 0f;
  for (var j = lid; j < 8u; j = j + 64u) { acc_1 = (acc_1 + v5(row * 8u + j)); }
  sh_1[lid] = acc_1;
  workgroupBarrier();
  if (lid < 32u) { sh_1[lid] = (sh_1[lid] + sh_1[lid + 32u]); }
  workgroupBarrier();
  if (lid < 16u) { sh_1[lid] = (sh_1[lid] + sh_1[lid + 16u]); }
  workgroupBarrier();
  if (lid < 8u) { sh_1[lid] = (sh_1[lid] + sh_1[lid + 8u]); }
  workgroupBarrier();
  if (lid < 4u) { sh_1[lid] = (sh_1[lid] + sh_1[lid + 4u]); }
  workgroupBarrier();
  if (lid < 2u) { sh_1[lid] = (sh_1[lid] + sh_1[lid + 2u]); }
  workgroupBarrier();
  if (lid < 1u) { sh_1[lid] = (sh_1[lid] + sh_1[lid + 1u]); }
  workgroupBarrier();
  row_1 = sh_1[0];
  for (var j = lid; j < 8u; j = j + 64u) {
    let o = row * 8u + j;
    out[o] = v8(o);
  }
}
