// kernel @fused_iota: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:output:i32
// Kiln kernel @fused_iota (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_iota() -> (out: i32[3,4]) {
//     %0: i32[3,4] = iota {dim=1}
//     return %0
//   }
// @binding(0) out: %out (output)
@group(0) @binding(0) var<storage, read_write> out: array<i32>;
// %0 = iota 
fn v0(i: u32) -> i32 {
  return bitcast<i32>((i % 4u));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 12u) { return; }
  out[i] = v0(i);
}
