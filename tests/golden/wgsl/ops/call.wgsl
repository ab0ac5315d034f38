// kernel @fused_add_exp: elementwise / elementwise-w256-e4-v4, workgroup 256x1x1, grid 1x1x1, bindings 0:input:vec4<f32> 1:input:vec4<f32> 2:output:vec4<f32>
// Kiln kernel @fused_add_exp (class elementwise, template elementwise-w256-e4-v4). IR computed here:
//   kernel @fused_add_exp(%a: f32[4], %b: f32[4]) -> (out: f32[4]) {
//     %0: f32[4] = add %a, %b
//     %1: f32[4] = exp %0
//     return %1
//   }
// @binding(0) in0: %a (input 0)
// @binding(1) in1: %b (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> in1: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<f32>>;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_isnan_x4(x: vec4<f32>) -> vec4<bool> { return (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u); }
fn kiln_nan_x4() -> vec4<f32> { return vec4<f32>(kiln_nan()); }
fn kiln_exp_x4(x: vec4<f32>) -> vec4<f32> {
  let u = bitcast<vec4<u32>>(x);
  let r = select(exp(x), x, u == vec4<u32>(0x7f800000u));
  return select(select(r, vec4<f32>(0.0f), u == vec4<u32>(0xff800000u)), kiln_nan_x4(), kiln_isnan_x4(x));
}
// %a at elements 4q..4q+3
fn x0(q: u32) -> vec4<f32> {
  return in0[q];
}
// %b at elements 4q..4q+3
fn x1(q: u32) -> vec4<f32> {
  return in1[q];
}
// %0 at elements 4q..4q+3
fn x2(q: u32) -> vec4<f32> {
  return (x0(q) + x1(q));
}
// %1 at elements 4q..4q+3
fn x3(q: u32) -> vec4<f32> {
  return kiln_exp_x4(x2(q));
}

@compute @workgroup_size(256,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = wid.x * 256u + lid;
  if (q >= 1u) { return; }
  out[q] = x3(q);
}
