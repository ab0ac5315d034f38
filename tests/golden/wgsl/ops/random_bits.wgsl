// kernel @fused_random_bits: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:u32 1:output:u32
// Kiln kernel @fused_random_bits (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_random_bits(%in0: u32[2]) -> (out: u32[4,4]) {
//     %0: u32[4,4] = random_bits %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
fn kiln_mix32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}
// %in0 = kernel input
fn v0(i: u32) -> u32 {
  return in0[i];
}
// %0 = random_bits %in0
fn v1(i: u32) -> u32 {
  let k0 = v0(0u);
  let k1 = v0(1u);
  let seed = kiln_mix32(k0 ^ kiln_mix32(k1 ^ 0x6a09e667u));
  let bits = kiln_mix32(kiln_mix32(i ^ seed) + k1);
  return bits;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 16u) { return; }
  out[i] = v1(i);
}

// kernel @fused_random_bits_2: elementwise / elementwise-w256-e4-v4, workgroup 256x1x1, grid 1x1x1, bindings 0:input:u32 1:output:vec4<f32>
// Kiln kernel @fused_random_bits_2 (class elementwise, template elementwise-w256-e4-v4). IR computed here:
//   kernel @fused_random_bits_2(%in0: u32[2]) -> (out: f32[8]) {
//     %0: f32[8] = random_bits %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<vec4<f32>>;
fn kiln_mix32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}
// %0 at elements 4q..4q+3
fn x1(q: u32) -> vec4<f32> {
  let i = q * 4u;
  return vec4<f32>(v1(i), v1(i + 1u), v1(i + 2u), v1(i + 3u));
}
// %in0 = kernel input
fn v0(i: u32) -> u32 {
  return in0[i];
}
// %0 = random_bits %in0
fn v1(i: u32) -> f32 {
  let k0 = v0(0u);
  let k1 = v0(1u);
  let seed = kiln_mix32(k0 ^ kiln_mix32(k1 ^ 0x6a09e667u));
  let bits = kiln_mix32(kiln_mix32(i ^ seed) + k1);
  return f32(bits >> 8u) * 5.9604644775390625e-8f;
}
@compute @workgroup_size(256,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q = wid.x * 256u + lid;
  if (q >= 2u) { return; }
  out[q] = x1(q);
}
