// kernel @fused_constant: elementwise / elementwise-w256-e4-v4, workgroup 256x1x1, grid 1x1x1, bindings 0:output:vec4<f32>
// Kiln kernel @fused_constant (class elementwise, template elementwise-w256-e4-v4). IR computed here:
//   kernel @fused_constant() -> (out: f32[2,2]) {
//     %0: f32[2,2] = constant {value=[1,-0.5,nan,-inf]}
//     return %0
//   }
// @binding(0) out: %out (output)
@group(0) @binding(0) var<storage, read_write> out: array<vec4<f32>>;
fn kiln_bits(x: u32) -> u32 { return x; }
// %0 at elements 4q..4q+3
fn x0(q: u32) -> vec4<f32> {
  let i = q * 4u;
  return vec4<f32>(v0(i), v0(i + 1u), v0(i + 2u), v0(i + 3u));
}
// %0 = constant 
fn v0(i: u32) -> f32 {
  return array<f32, 4>(1f, (-0.5f), bitcast<f32>(kiln_bits(0x7fc00000u)), bitcast<f32>(kiln_bits(0xff800000u)))[i];
}
@compute @workgroup_size(256,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = wid.x * 256u + lid;
  if (q >= 1u) { return; }
  out[q] = x0(q);
}

// kernel @fused_constant_2: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:output:i32
// Kiln kernel @fused_constant_2 (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_constant_2() -> (out: i32[3]) {
//     %0: i32[3] = constant {value=7}
//     return %0
//   }
// @binding(0) out: %out (output)
@group(0) @binding(0) var<storage, read_write> out: array<i32>;
// %0 = constant 
fn v0(i: u32) -> i32 {
  return 7i;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 3u) { return; }
  out[i] = v0(i);
}
