// kernel @fused_pow: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:f32 2:output:f32
// Kiln kernel @fused_pow (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_pow(%in0: f32[5], %in1: f32[5]) -> (out: f32[5]) {
//     %0: f32[5] = pow %in0, %in1
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_pow(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ma = ua & 0x7fffffffu;
  let mb = bitcast<u32>(b) & 0x7fffffffu;
  if (mb == 0u || ua == 0x3f800000u) { return 1.0f; }
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  let inf = bitcast<f32>(kiln_bits(0x7f800000u));
  if (mb == 0x7f800000u) {
    if (ma == 0x3f800000u) { return 1.0f; }
    return select(0.0f, inf, (ma > 0x3f800000u) == (b > 0.0f));
  }
  let negative = (ua & 0x80000000u) != 0u;
  let integer = floor(b) == b;
  let half = 0.5f * b;
  let odd = integer && floor(half) != half;
  if (ma == 0u) {
    let r = select(0.0f, inf, b < 0.0f);
    return select(r, -r, negative && odd);
  }
  if (ma == 0x7f800000u) {
    let r = select(0.0f, inf, b > 0.0f);
    return select(r, -r, negative && odd);
  }
  let r = pow(abs(a), b);
  if (!negative) { return r; }
  if (!integer) { return kiln_nan(); }
  return select(r, -r, odd);
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %0 = pow %in0, %in1
fn v2(i: u32) -> f32 {
  return kiln_pow(v0(i), v1(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 5u) { return; }
  out[i] = v2(i);
}
