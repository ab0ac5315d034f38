// kernel @fused_cast: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:i32
// Kiln kernel @fused_cast (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_cast(%in0: f32[4]) -> (out: i32[4]) {
//     %y: i32[4] = cast %in0 {dtype=i32}
//     return %y
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_f32_to_i32(x: f32) -> i32 {
  if (kiln_isnan(x)) { return 0i; }
  if (x >= 2147483647.0f) { return 2147483647i; }
  if (x <= -2147483648.0f) { return -2147483647i - 1i; }
  return i32(x);
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %y = cast %in0
fn v1(i: u32) -> i32 {
  return kiln_f32_to_i32(v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 4u) { return; }
  out[i] = v1(i);
}

// kernel @fused_cast_2: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:i32 1:output:u32
// Kiln kernel @fused_cast_2 (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_cast_2(%in0: i32[4]) -> (out: bool[4]) {
//     %m: bool[4] = cast %in0 {dtype=bool}
//     return %m
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<i32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
// %in0 = kernel input
fn v0(i: u32) -> i32 {
  return in0[i];
}
// %m = cast %in0
fn v1(i: u32) -> bool {
  return (v0(i) != 0i);
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 4u) { return; }
  out[i] = select(0u, 1u, v1(i));
}
