// kernel @fused_neg: elementwise / elementwise-w256-e4-v4, workgroup 256x1x1, grid 1x1x1, bindings 0:input:vec4<f32> 1:output:vec4<f32>
// Kiln kernel @fused_neg (class elementwise, template elementwise-w256-e4-v4). IR computed here:
//   kernel @fused_neg(%in0: f32[4]) -> (out: f32[4]) {
//     %0: f32[4] = neg %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
// %in0 at elements 4q..4q+3
fn x0(q: u32) -> vec4<f32> {
  return in0[q];
}
// %0 at elements 4q..4q+3
fn x1(q: u32) -> vec4<f32> {
  return (-x0(q));
}

@compute @workgroup_size(256,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = wid.x * 256u + lid;
  if (q >= 1u) { return; }
  out[q] = x1(q);
}
