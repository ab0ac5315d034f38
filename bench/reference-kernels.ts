// Benchmarks: the hand-written WGSL of the "reference" row and the roofline microkernels — a
// tiled GEMM (64×64 tile, 4×4 outputs per thread, K staged through workgroup memory), a vec4
// elementwise kernel for W2, and an FMA-bound kernel (independent vec4 fma chains in registers).

/** GEMM tile: 16×16 threads, each 4×4 outputs; K in steps of 16. N must be a multiple of 64. */
export const REF_GEMM_TILE = 64;

export function refGemmWgsl(n: number): string {
  // Unrolled by hand: llvmpipe runs the 256 threads as SIMD lanes, and dynamically indexed
  // per-thread arrays would spill, so the 4×4 block lives in four vec4 accumulators.
  const rows = [0, 1, 2, 3];
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> C: array<vec4<f32>>;
const N: u32 = ${n}u;
var<workgroup> As: array<array<f32, 64>, 16>; // [k][m]
var<workgroup> Bs: array<array<vec4<f32>, 16>, 16>; // [k][n / 4]
@compute @workgroup_size(16, 16, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  let t = lid.y * 16u + lid.x;
${rows.map((i) => `  var acc${i} = vec4<f32>(0.0);`).join('\n')}
  for (var k0 = 0u; k0 < N; k0 = k0 + 16u) {
    // 256 threads stage 64×16 of A (4 scalars each) and 16×64 of B (one vec4 each).
${rows.map((i) => `    { let e = t * 4u + ${i}u; As[e % 16u][e / 16u] = A[(row0 + e / 16u) * N + k0 + e % 16u]; }`).join('\n')}
    Bs[t / 16u][t % 16u] = B[((k0 + t / 16u) * N + col0) / 4u + t % 16u];
    workgroupBarrier();
    for (var k = 0u; k < 16u; k = k + 1u) {
      let b = Bs[k][lid.x];
${rows.map((i) => `      acc${i} = fma(vec4<f32>(As[k][lid.y * 4u + ${i}u]), b, acc${i});`).join('\n')}
    }
    workgroupBarrier();
  }
${rows.map((i) => `  C[((row0 + lid.y * 4u + ${i}u) * N + col0) / 4u + lid.x] = acc${i};`).join('\n')}
}`;
}

/** A vec4 elementwise kernel X → Y, one vec4 per thread, 256 threads per workgroup; `body` reads `x` and writes `Y[i]`. */
export function vec4ElementwiseWgsl(body: string): string {
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read> X: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> Y: array<vec4<f32>>;
@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let i = gid.y * nw.x * 256u + gid.x;
  if (i >= arrayLength(&X)) { return; }
  let x = X[i];
${body}
}`;
}

/** W2's y = tanh(1.5x + 0.5) · sigmoid(x). */
export function refElementwiseWgsl(): string {
  return vec4ElementwiseWgsl(`  // tanh via exp of a clamped argument (WGSL tanh may be imprecise near ±large on some backends).
  let z = clamp(1.5 * x + vec4<f32>(0.5), vec4<f32>(-15.0), vec4<f32>(15.0));
  let e = exp(2.0 * z);
  Y[i] = ((e - 1.0) / (e + 1.0)) * (1.0 / (1.0 + exp(-x)));`);
}

/** FMA chains per thread and iterations: FLOPs per thread = ITER · CHAINS · 4 lanes · 2. */
export const FMA_CHAINS = 8;
export const FMA_ITER = 256;

export function fmaPeakWgsl(): string {
  const decl = Array.from({ length: FMA_CHAINS }, (_, c) => `  var v${c} = vec4<f32>(f32(gid.x) * 1e-7 + ${c}.0 * 1e-3);`).join('\n');
  const body = Array.from({ length: FMA_CHAINS }, (_, c) => `    v${c} = fma(v${c}, m, a);`).join('\n');
  const sum = Array.from({ length: FMA_CHAINS }, (_, c) => `v${c}`).join(' + ');
  return /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> Out: array<vec4<f32>>;
@compute @workgroup_size(256, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let m = vec4<f32>(0.999999);
  let a = vec4<f32>(1e-6);
${decl}
  for (var i = 0u; i < ${FMA_ITER}u; i = i + 1u) {
${body}
  }
  Out[gid.x] = ${sum};
}`;
}
