// kernel @fused_reduce_sum: reduction / reduction-tree, workgroup 64x1x1, grid 64x1x1, bindings 0:input:f32 1:output:f32
// Kiln kernel @fused_reduce_sum (class reduction, template reduction-tree). IR computed here:
//   kernel @fused_reduce_sum(%in0: f32[64,64]) -> (out: f32[64]) {
//     %s: f32[64] = reduce_sum %in0 {axes=[1]}
//     return %s
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
var<workgroup> sh: array<f32, 64>;
fn red_index(o: u32, k: u32) -> u32 {
  return o * 64u + k;
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %s = reduce_sum %in0
fn v1(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x;
  if (o >= 64u) { return; }
  var acc: f32 = 0f;
  for (var k = lid; k < 64u; k = k + 64u) { acc = (acc + v0(red_index(o, k))); }
  sh[lid] = acc;
  workgroupBarrier();
  if (lid < 32u) { sh[lid] = (sh[lid] + sh[lid + 32u]); }
  workgroupBarrier();
  if (lid < 16u) { sh[lid] = (sh[lid] + sh[lid + 16u]); }
  workgroupBarrier();
  if (lid < 8u) { sh[lid] = (sh[lid] + sh[lid + 8u]); }
  workgroupBarrier();
  if (lid < 4u) { sh[lid] = (sh[lid] + sh[lid + 4u]); }
  workgroupBarrier();
  if (lid < 2u) { sh[lid] = (sh[lid] + sh[lid + 2u]); }
  workgroupBarrier();
  if (lid < 1u) { sh[lid] = (sh[lid] + sh[lid + 1u]); }
  workgroupBarrier();
  if (lid == 0u) {
    anchor_val = sh[0];
    out[o] = v1(o);
  }
}

// kernel @fused_mul_sub_mul_reduce_sum: reduction / reduction-tree, workgroup 64x1x1, grid 64x1x1, bindings 0:input:f32 1:input:f32 2:output:f32
// Kiln kernel @fused_mul_sub_mul_reduce_sum (class reduction, template reduction-tree). IR computed here:
//   kernel @fused_mul_sub_mul_reduce_sum(%in0: f32[64], %in1: f32[64,64]) -> (out: f32[64]) {
//     %inv: f32[64] = constant {value=0.015625}
//     %m: f32[64] = mul %in0, %inv
//     %mb: f32[64,64] = broadcast %m {dims=[0], shape=[64,64]}
//     %d: f32[64,64] = sub %in1, %mb
//     %d2: f32[64,64] = mul %d, %d
//     %v: f32[64] = reduce_sum %d2 {axes=[1]}
//     return %v
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
var<workgroup> sh: array<f32, 64>;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_add_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let ma = ua & 0x7fffffffu;
  let mb = ub & 0x7fffffffu;
  // Fast path: both finite and not both zero, where every fold a driver makes is exact.
  if (max(ma, mb) < 0x7f800000u && (ma | mb) != 0u) { return a + b; }
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  if (ma == 0x7f800000u) { return select(a, kiln_nan(), mb == 0x7f800000u && ua != ub); }
  if (mb == 0x7f800000u) { return b; }
  return bitcast<f32>(kiln_bits(ua & ub));
}
fn kiln_sub_f32(a: f32, b: f32) -> f32 { return kiln_add_f32(a, bitcast<f32>(kiln_bits(bitcast<u32>(b) ^ 0x80000000u))); }
fn kiln_mul_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let ma = ua & 0x7fffffffu;
  let mb = ub & 0x7fffffffu;
  // Fast path: both finite and nonzero (ma - 1 wraps for zero).
  if (max(ma - 1u, mb - 1u) < 0x7f7fffffu) { return a * b; }
  let sign = (ua ^ ub) & 0x80000000u;
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  if (ma == 0x7f800000u || mb == 0x7f800000u) {
    if (ma == 0u || mb == 0u) { return kiln_nan(); }
    return bitcast<f32>(kiln_bits(sign | 0x7f800000u));
  }
  return bitcast<f32>(kiln_bits(sign));
}
fn red_index(o: u32, k: u32) -> u32 {
  return o * 64u + k;
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %inv = constant 
fn v2(i: u32) -> f32 {
  return 0.015625f;
}
// %m = mul %in0, %inv
fn v3(i: u32) -> f32 {
  return kiln_mul_f32(v0(i), v2(i));
}
// %mb = broadcast %m
fn v4(i: u32) -> f32 {
  return v3((i / 64u));
}
// %d = sub %in1, %mb
fn v5(i: u32) -> f32 {
  return kiln_sub_f32(v1(i), v4(i));
}
// %d2 = mul %d, %d
fn v6(i: u32) -> f32 {
  return (v5(i) * v5(i));
}
// %v = reduce_sum %d2
fn v7(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = wid.x;
  if (o >= 64u) { return; }
  var acc: f32 = 0f;
  for (var k = lid; k < 64u; k = k + 64u) { acc = (acc + v6(red_index(o, k))); }
  sh[lid] = acc;
  workgroupBarrier();
  if (lid < 32u) { sh[lid] = (sh[lid] + sh[lid + 32u]); }
  workgroupBarrier();
  if (lid < 16u) { sh[lid] = (sh[lid] + sh[lid + 16u]); }
  workgroupBarrier();
  if (lid < 8u) { sh[lid] = (sh[lid] + sh[lid + 8u]); }
  workgroupBarrier();
  if (lid < 4u) { sh[lid] = (sh[lid] + sh[lid + 4u]); }
  workgroupBarrier();
  if (lid < 2u) { sh[lid] = (sh[lid] + sh[lid + 2u]); }
  workgroupBarrier();
  if (lid < 1u) { sh[lid] = (sh[lid] + sh[lid + 1u]); }
  workgroupBarrier();
  if (lid == 0u) {
    anchor_val = sh[0];
    out[o] = v7(o);
  }
}

// kernel @fused_mul_sub_mul_add_rsqrt_mul_etc: matmul / matmul-tiled32, workgroup 64x1x1, grid 4x1x1, bindings 0:input:f32 1:input:f32 2:input:f32 3:input:vec4<f32> 4:output:f32
// Kiln kernel @fused_mul_sub_mul_add_rsqrt_mul_etc (class matmul, template matmul-tiled32). IR computed here:
//   kernel @fused_mul_sub_mul_add_rsqrt_mul_etc(%in0: f32[64], %in1: f32[64,64], %in2: f32[64], %in3: f32[64,64]) -> (out: f32[64,64]) {
//     %inv: f32[64] = constant {value=0.015625}
//     %m: f32[64] = mul %in0, %inv
//     %mb: f32[64,64] = broadcast %m {dims=[0], shape=[64,64]}
//     %d: f32[64,64] = sub %in1, %mb
//     %vm: f32[64] = mul %in2, %inv
//     %eps: f32[64] = constant {value=0.00001}
//     %ve: f32[64] = add %vm, %eps
//     %r: f32[64] = rsqrt %ve
//     %rb: f32[64,64] = broadcast %r {dims=[0], shape=[64,64]}
//     %n: f32[64,64] = mul %d, %rb
//     %y: f32[64,64] = matmul %n, %in3
//     return %y
//   }
// @binding(0) in0: %in0 (input 0)
// @binding(1) in1: %in1 (input 1)
// @binding(2) in2: %in2 (input 2)
// @binding(3) in3: %in3 (input 3)
// @binding(4) out: %out (output)
@group(0) @binding(0) var<storage, read> in0: array<f32>;
@group(0) @binding(1) var<storage, read> in1: array<f32>;
@group(0) @binding(2) var<storage, read> in2: array<f32>;
@group(0) @binding(3) var<storage, read> in3: array<vec4<f32>>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
var<private> anchor_val: f32;
var<workgroup> tile_a: array<vec4<f32>, 128>;
var<workgroup> tile_b: array<vec4<f32>, 128>;
fn kiln_bits(x: u32) -> u32 { return x; }
fn kiln_isnan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn kiln_nan() -> f32 { return bitcast<f32>(kiln_bits(0x7fc00000u)); }
fn kiln_div_f32(a: f32, b: f32) -> f32 {
  if (kiln_isnan(a) || kiln_isnan(b)) { return kiln_nan(); }
  if ((bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u && (bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u) { return kiln_nan(); }
  if (b == 0.0f) {
    if (kiln_isnan(a) || a == 0.0f) { return kiln_nan(); }
    let negative = (a < 0.0f) != ((bitcast<u32>(b) & 0x80000000u) != 0u);
    return bitcast<f32>(kiln_bits(select(0x7f800000u, 0xff800000u, negative)));
  }
  return a / b;
}
fn kiln_add_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let ma = ua & 0x7fffffffu;
  let mb = ub & 0x7fffffffu;
  // Fast path: both finite and not both zero, where every fold a driver makes is exact.
  if (max(ma, mb) < 0x7f800000u && (ma | mb) != 0u) { return a + b; }
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  if (ma == 0x7f800000u) { return select(a, kiln_nan(), mb == 0x7f800000u && ua != ub); }
  if (mb == 0x7f800000u) { return b; }
  return bitcast<f32>(kiln_bits(ua & ub));
}
fn kiln_sub_f32(a: f32, b: f32) -> f32 { return kiln_add_f32(a, bitcast<f32>(kiln_bits(bitcast<u32>(b) ^ 0x80000000u))); }
fn kiln_mul_f32(a: f32, b: f32) -> f32 {
  let ua = bitcast<u32>(a);
  let ub = bitcast<u32>(b);
  let ma = ua & 0x7fffffffu;
  let mb = ub & 0x7fffffffu;
  // Fast path: both finite and nonzero (ma - 1 wraps for zero).
  if (max(ma - 1u, mb - 1u) < 0x7f7fffffu) { return a * b; }
  let sign = (ua ^ ub) & 0x80000000u;
  if (ma > 0x7f800000u || mb > 0x7f800000u) { return kiln_nan(); }
  if (ma == 0x7f800000u || mb == 0x7f800000u) {
    if (ma == 0u || mb == 0u) { return kiln_nan(); }
    return bitcast<f32>(kiln_bits(sign | 0x7f800000u));
  }
  return bitcast<f32>(kiln_bits(sign));
}
fn gemm_a(b: u32, m: u32, k: u32) -> f32 {
  return v13(b * 4096u + m * 64u + k);
}
fn gemm_b(b: u32, k: u32, n: u32) -> f32 {
  return v3(b * 4096u + k * 64u + n);
}
fn gemm_out(b: u32, m: u32, n: u32) -> u32 {
  return b * 4096u + m * 64u + n;
}
fn gemm_b4(b: u32, k: u32, n: u32) -> vec4<f32> {
  return in3[(b * 4096u + k * 64u + n) >> 2u];
}
// %in1 = kernel input
fn v1(i: u32) -> f32 {
  return in1[i];
}
// %in0 = kernel input
fn v0(i: u32) -> f32 {
  return in0[i];
}
// %inv = constant 
fn v4(i: u32) -> f32 {
  return 0.015625f;
}
// %m = mul %in0, %inv
fn v5(i: u32) -> f32 {
  return kiln_mul_f32(v0(i), v4(i));
}
// %mb = broadcast %m
fn v6(i: u32) -> f32 {
  return v5((i / 64u));
}
// %d = sub %in1, %mb
fn v7(i: u32) -> f32 {
  return kiln_sub_f32(v1(i), v6(i));
}
// %in2 = kernel input
fn v2(i: u32) -> f32 {
  return in2[i];
}
// %vm = mul %in2, %inv
fn v8(i: u32) -> f32 {
  return (v2(i) * v4(i));
}
// %eps = constant 
fn v9(i: u32) -> f32 {
  return 0.000009999999747378752f;
}
// %ve = add %vm, %eps
fn v10(i: u32) -> f32 {
  return (v8(i) + v9(i));
}
// %r = rsqrt %ve
fn v11(i: u32) -> f32 {
  return kiln_div_f32(1.0f, sqrt(v10(i)));
}
// %rb = broadcast %r
fn v12(i: u32) -> f32 {
  return v11((i / 64u));
}
// %n = mul %d, %rb
fn v13(i: u32) -> f32 {
  return kiln_mul_f32(v7(i), v12(i));
}
// %in3 = kernel input
fn v3(i: u32) -> f32 {
  return in3[(i) >> 2u][(i) & 3u];
}
// %y = matmul %n, %in3
fn v14(i: u32) -> f32 {
  return anchor_val;
}
@compute @workgroup_size(64,1,1)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let wg = wid.x;
  if (wg >= 4u) { return; }
  let b = wg / 4u;
  let tile = wg % 4u;
  let m0 = (tile / 2u) * 32u;
  let n0 = (tile % 2u) * 32u;
  let ty = lid / 8u;
  let tx = lid % 8u;
  var acc_0_0: f32 = 0f;
  var acc_0_1: f32 = 0f;
  var acc_0_2: f32 = 0f;
  var acc_0_3: f32 = 0f;
  var acc_1_0: f32 = 0f;
  var acc_1_1: f32 = 0f;
  var acc_1_2: f32 = 0f;
  var acc_1_3: f32 = 0f;
  var acc_2_0: f32 = 0f;
  var acc_2_1: f32 = 0f;
  var acc_2_2: f32 = 0f;
  var acc_2_3: f32 = 0f;
  var acc_3_0: f32 = 0f;
  var acc_3_1: f32 = 0f;
  var acc_3_2: f32 = 0f;
  var acc_3_3: f32 = 0f;

  for (var k0 = 0u; k0 < 64u; k0 = k0 + 16u) {
    for (var e = lid; e < 512u; e = e + 64u) {
      let mm = e / 16u;
      let kk = e % 16u;
      let m = m0 + mm;
      let k = k0 + kk;
      var a: f32 = 0f;
      if (m < 64u && k < 64u) { a = gemm_a(b, m, k); }
      tile_a[(kk * 32u + mm) >> 2u][(kk * 32u + mm) & 3u] = a;
    }
    for (var e = lid; e < 128u; e = e + 64u) {
      let kk = e / 8u;
      let nn = (e % 8u) * 4u;
      let k = k0 + kk;
      let n = n0 + nn;
      var v = vec4<f32>(0f);
      if (k < 64u && n < 64u) { v = gemm_b4(b, k, n); }
      tile_b[(kk * 32u + nn) >> 2u] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      let av0 = tile_a[kk * 8u + ty * 1u + 0u];
      let bv0 = tile_b[kk * 8u + tx * 1u + 0u];
      let a0 = av0[0];
      let a1 = av0[1];
      let a2 = av0[2];
      let a3 = av0[3];
      let b0 = bv0[0];
      let b1 = bv0[1];
      let b2 = bv0[2];
      let b3 = bv0[3];
      acc_0_0 = acc_0_0 + a0 * b0;
      acc_0_1 = acc_0_1 + a0 * b1;
      acc_0_2 = acc_0_2 + a0 * b2;
      acc_0_3 = acc_0_3 + a0 * b3;
      acc_1_0 = acc_1_0 + a1 * b0;
      acc_1_1 = acc_1_1 + a1 * b1;
      acc_1_2 = acc_1_2 + a1 * b2;
      acc_1_3 = acc_1_3 + a1 * b3;
      acc_2_0 = acc_2_0 + a2 * b0;
      acc_2_1 = acc_2_1 + a2 * b1;
      acc_2_2 = acc_2_2 + a2 * b2;
      acc_2_3 = acc_2_3 + a2 * b3;
      acc_3_0 = acc_3_0 + a3 * b0;
      acc_3_1 = acc_3_1 + a3 * b1;
      acc_3_2 = acc_3_2 + a3 * b2;
      acc_3_3 = acc_3_3 + a3 * b3;
    }
    workgroupBarrier();
  }
  let mr = m0 + ty * 4u;
  let nc = n0 + tx * 4u;
  if (mr + 0u < 64u && nc + 0u < 64u) {
    anchor_val = acc_0_0;
    let o = gemm_out(b, mr + 0u, nc + 0u);
    out[o] = v14(o);
  }
  if (mr + 0u < 64u && nc + 1u < 64u) {
    anchor_val = acc_0_1;
    let o = gemm_out(b, mr + 0u, nc + 1u);
    out[o] = v14(o);
  }
  if (mr + 0u < 64u && nc + 2u < 64u) {
    anchor_val = acc_0_2;
    let o = gemm_out(b, mr + 0u, nc + 2u);
    out[o] = v14(o);
  }
  if (mr + 0u < 64u && nc + 3u < 64u) {
    anchor_val = acc_0_3;
    let o = gemm_out(b, mr + 0u, nc + 3u);
    out[o] = v14(o);
  }
  if (mr + 1u < 64u && nc + 0u < 64u) {
    anchor_val = acc_1_0;
    let o = gemm_out(b, mr + 1u, nc + 0u);
    out[o] = v14(o);
  }
  if (mr + 1u < 64u && nc + 1u < 64u) {
    anchor_val = acc_1_1;
    let o = gemm_out(b, mr + 1u, nc + 1u);
    out[o] = v14(o);
  }
  if (mr + 1u < 64u && nc + 2u < 64u) {
    anchor_val = acc_1_2;
    let o = gemm_out(b, mr + 1u, nc + 2u);
    out[o] = v14(o);
  }
  if (mr + 1u < 64u && nc + 3u < 64u) {
    anchor_val = acc_1_3;
    let o = gemm_out(b, mr + 1u, nc + 3u);
    out[o] = v14(o);
  }
  if (mr + 2u < 64u && nc + 0u < 64u) {
    anchor_val = acc_2_0;
    let o = gemm_out(b, mr + 2u, nc + 0u);
    out[o] = v14(o);
  }
  if (mr + 2u < 64u && nc + 1u < 64u) {
    anchor_val = acc_2_1;
    let o = gemm_out(b, mr + 2u, nc + 1u);
    out[o] = v14(o);
  }
  if (mr + 2u < 64u && nc + 2u < 64u) {
    anchor_val = acc_2_2;
    let o = gemm_out(b, mr + 2u, nc + 2u);
    out[o] = v14(o);
  }
  if (mr + 2u < 64u && nc + 3u < 64u) {
    anchor_val = acc_2_3;
    let o = gemm_out(b, mr + 2u, nc + 3u);
    out[o] = v14(o);
  }
  if (mr + 3u < 64u && nc + 0u < 64u) {
    anchor_val = acc_3_0;
    let o = gemm_out(b, mr + 3u, nc + 0u);
    out[o] = v14(o);
  }
  if (mr + 3u < 64u && nc + 1u < 64u) {
    anchor_val = acc_3_1;
    let o = gemm_out(b, mr + 3u, nc + 1u);
    out[o] = v14(o);
  }
  if (mr + 3u < 64u && nc + 2u < 64u) {
    anchor_val = acc_3_2;
    let o = gemm_out(b, mr + 3u, nc + 2u);
    out[o] = v14(o);
  }
  if (mr + 3u < 64u && nc + 3u < 64u) {
    anchor_val = acc_3_3;
    let o = gemm_out(b, mr + 3u, nc + 3u);
    out[o] = v14(o);
  }
}
