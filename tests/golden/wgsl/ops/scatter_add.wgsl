// kernel @fused_scatter_add: single / scatter_add, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:input:i32 2:input:f32 3:output:atomic<u32>, zero-filled output
// Kiln kernel @fused_scatter_add (class single, template scatter_add). IR computed here:
//   kernel @fused_scatter_add(%in0: f32[5,3], %in1: i32[4], %in2: f32[4,3]) -> (out: f32[5,3]) {
//     %0: f32[5,3] = scatter_add %in0, %in1, %in2 {axis=0}
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) in2: %in2 (input 2)
// @binding(3) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<i32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<atomic<u32>>;
fn scatter_add_at(i: u32, v: f32) {
  var old = atomicLoad(&out[i]);
  loop {
    let r = atomicCompareExchangeWeak(&out[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}
// %in1 = kernel input
fn v1(i: u32) -> i32 {
  return in1[i];
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %in2 = kernel input
fn v2(i: u32) -> f32 {
  return in2[i];
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let t = wid.x * 64u + lid;
  if (t >= 15u) { return; }
  if (t < 15u) { scatter_add_at(t, v0(t)); }
  if (t < 12u) {
    let q = t / 12u;
    let j = (t / 3u) % 4u;
    let p = t % 3u;
    let raw = v1(j);
    if (raw >= 0i && raw < 5i) { scatter_add_at((q * 5u + u32(raw)) * 3u + p, v2(t)); }
  }
}
