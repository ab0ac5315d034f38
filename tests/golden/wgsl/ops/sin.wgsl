// kernel @fused_sin: elementwise / elementwise-w64-e1, workgroup 64x1x1, grid 1x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_sin (class elementwise, template elementwise-w64-e1). IR computed here:
//   kernel @fused_sin(%in0: f32[2,3]) -> (out: f32[2,3]) {
//     %0: f32[2,3] = sin %in0
//     return %0
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_trig_poly(r: f32, n: i32) -> f32 {
  let z = r * r;
  // z = 0: r itself, so sin(-0) is -0 (r + r·0·p would round to +0).
  let s = select(r + r * z * ((-0.16666655242443085f) + z * (0.008332161232829094f + z * ((-0.00019515295571181923f)))), r, z == 0.0f);
  let c = (1.0f - 0.5f * z) + z * z * (0.04166664555668831f + z * ((-0.0013887316454201937f) + z * (0.0000244331567955669f)));
  let v = select(s, c, (n & 1i) == 1i);
  return select(v, -v, (n & 2i) == 2i);
}
fn kiln_sin(x: f32) -> f32 {
  if ((bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u) { return kiln_nan(); }
  if (abs(x) >= 65536f) { return sin(x); }
  let q = round(x * 0.6366197466850281f);
  // q = 0 keeps x itself (its sign too: -0 - -0 would give +0).
  let r = select(((x - q * 1.5703125f) - q * 0.0004837512969970703f) - q * 7.549790126404332e-8f, x, q == 0.0f);
  return kiln_trig_poly(r, i32(q));
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %0 = sin %in0
fn v1(i: u32) -> f32 {
  return kiln_sin(v0(i));
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = wid.x * 64u + lid;
  if (i >= 6u) { return; }
  out[i] = v1(i);
}
