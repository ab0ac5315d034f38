// kernel @fused_pad: elementwise / elementwise-w256-e4-v4, workgroup 256x1x1, grid 1x1x1, bindings 0:input:f32 1:output:vec4<f32>
// Kiln kernel @fused_pad (class elementwise, template elementwise-w256-e4-v4). IR computed here:
//   kernel @fused_pad(%in0: f32[2,3]) -> (out: f32[4,4]) {
//     %0: f32[4,4] = pad %in0 {low=[1,-1], high=[0,2], interior=[1,0], value=-inf}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
fn kiln_bits(x: u32) -> u32 { return x; }
// %0 at elements 4q..4q+3
fn x1(q: u32) -> vec4<f32> {
  let i = q * 4u;
  return vec4<f32>(v1(i), v1(i + 1u), v1(i + 2u), v1(i + 3u));
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = pad %in0
fn v1(i: u32) -> f32 {
  let p0 = i32((i / 4u)) - (1i);
  if (p0 < 0i || (p0 % 2i) != 0i) { return bitcast<f32>(kiln_bits(0xff800000u)); }
  let q0 = u32(p0 / 2i);
  if (q0 >= 2u) { return bitcast<f32>(kiln_bits(0xff800000u)); }
  let p1 = i32((i % 4u)) - (-1i);
  if (p1 < 0i) { return bitcast<f32>(kiln_bits(0xff800000u)); }
  let q1 = u32(p1);
  if (q1 >= 3u) { return bitcast<f32>(kiln_bits(0xff800000u)); }
  return v0((q0 * 3u + q1));
}
@compute @workgroup_size(256,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = wid.x * 256u + lid;
  if (q >= 4u) { return; }
  out[q] = x1(q);
}
