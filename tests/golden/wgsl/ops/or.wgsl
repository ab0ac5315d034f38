// kernel @fused_or: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:u32 1:input:u32 2:output:u32
// Kiln kernel @fused_or (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_or(%in0: bool[4], %in1: bool[4]) -> (out: bool[4]) {
//     %0: bool[4] = or %in0, %in1
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<u32>;
@group(0) @binding(1) var<storage, read> in1: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
// %in0 = kernel input
fn v0(i: u32) -> bool {
  return (in0[i] != 0u);
}
// %in1 = kernel input
fn v1(i: u32) -> bool {
  return (in1[i] != 0u);
}
// %0 = or %in0, %in1
fn v2(i: u32) -> bool {
  return (v0(i) || v1(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 4u) { return; }
  out[i] = select(0u, 1u, v2(i));
}
