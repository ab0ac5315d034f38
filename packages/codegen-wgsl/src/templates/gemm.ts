// GEMM template shared by matmul and conv (implicit GEMM): C[b,m,n] = Σ_k A[b,m,k]·B[b,k,n]
// with A, B and the output index given as WGSL functions. 'simple' runs one invocation per
// output element; 'tiled32'/'tiled64' stage TK-deep slices of A and B in workgroup memory and
// give each invocation an RM×RN register block; 'narrow' is the same with tall tiles whose width
// fits a small N (conv channels, class counts), so most lanes are not spent on padding columns;
// 'tall' is 128×32 tiles for N of 17–32 with many rows; 'splitk' serves small outputs with a long K (weight gradients): a workgroup per 4×4 output
// block, its invocations splitting K and summing in a workgroup-shared tree; vec4 loads are used when the caller offers them,
// also along the stored dim of operands the caller reads transposed in place.
// Each variant is a fixed schedule (gemm-schedule.ts); the template takes any legal schedule as data.

import { KilnError } from '@kiln/ir';
import { linearWorkgroupExpr, splitWorkgroups } from '../dispatch.js';
import type { KernelEmitter } from '../kernel-emitter.js';
import type { DeviceLimits } from '../limits.js';
import { divisorLit, literal } from '../wgsl-types.js';
import { MAIN_PARAMS, storeOutput, type TemplateResult } from './common.js';
import { tileLoads } from './gemm-loads.js';
import type { GemmSpec } from './gemm-spec.js';

export type { GemmSpec } from './gemm-spec.js';
import { NARROW_MAX_N, SPLITK_BLOCK, gemmScheduleProblem, scheduleLabel, tiledThreads, variantSchedule, type GemmSchedule, type GemmVariant } from './gemm-schedule.js';

export type { GemmVariant } from './gemm-schedule.js';

/**
 * Split K when the output is a handful of 32×32 tiles and K is long against it (conv weight
 * gradients): at least 512 of K per tile, so each tile's K loop would dwarf its parallelism.
 */
function wantsSplitK(spec: Pick<GemmSpec, 'm' | 'n' | 'k'>): boolean {
  const tiles = Math.ceil(spec.m / 32) * Math.ceil(spec.n / 32);
  return spec.k >= 512 * tiles;
}

export function chooseGemmVariant(spec: Pick<GemmSpec, 'm' | 'n' | 'k'>): GemmVariant {
  if (wantsSplitK(spec)) return 'splitk';
  if (spec.n <= NARROW_MAX_N && spec.m >= 128 && spec.k >= 8) return 'narrow';
  if (spec.m * spec.n < 32 * 32 || spec.k < 8) return 'simple';
  if (spec.m >= 128 && spec.n >= 128) return 'tiled64';
  if (spec.m >= 256 && spec.n > NARROW_MAX_N && spec.n <= 32) return 'tall';
  return 'tiled32';
}

/** The schedule a caller's choice stands for: a named variant's fixed schedule, or the schedule itself. */
export function resolveGemmSchedule(choice: GemmVariant | GemmSchedule, n: number, limits: DeviceLimits): GemmSchedule {
  return typeof choice === 'string' ? variantSchedule(choice, n, limits) : choice;
}

/** The spec without its vector and row-split loads (the simple and split-K variants read scalars). */
function scalarOnly(spec: GemmSpec): GemmSpec {
  return { ...spec, a4Body: undefined, b4Body: undefined, a4tBody: undefined, b4tBody: undefined, aRow: undefined };
}

export function gemmFunctions(spec: GemmSpec): string[] {
  const t = spec.dtype;
  const fns = [
    `fn gemm_a(b: u32, m: u32, k: u32) -> ${t} {\n${spec.aBody}\n}`,
    `fn gemm_b(b: u32, k: u32, n: u32) -> ${t} {\n${spec.bBody}\n}`,
    `fn gemm_out(b: u32, m: u32, n: u32) -> u32 {\n${spec.outBody}\n}`,
  ];
  if (spec.a4Body !== undefined) fns.push(`fn gemm_a4(b: u32, m: u32, k: u32) -> vec4<${t}> {\n${spec.a4Body}\n}`);
  if (spec.b4Body !== undefined) fns.push(`fn gemm_b4(b: u32, k: u32, n: u32) -> vec4<${t}> {\n${spec.b4Body}\n}`);
  if (spec.a4tBody !== undefined) fns.push(`fn gemm_a4t(b: u32, m: u32, k: u32) -> vec4<${t}> {\n${spec.a4tBody}\n}`);
  if (spec.b4tBody !== undefined) fns.push(`fn gemm_b4t(b: u32, k: u32, n: u32) -> vec4<${t}> {\n${spec.b4tBody}\n}`);
  if (spec.aRow !== undefined)
    fns.push(
      `struct ARow {\n${spec.aRow.fields}\n}`,
      `fn gemm_a_row(b: u32, m: u32) -> ARow {\n${spec.aRow.rowBody}\n}`,
      `fn gemm_a_at(r: ARow, b: u32, k: u32) -> ${t} {\n${spec.aRow.atBody}\n}`,
    );
  if (spec.aRow?.at4Body !== undefined) fns.push(`fn gemm_a_at4(r: ARow, b: u32, k: u32) -> vec4<${t}> {\n${spec.aRow.at4Body}\n}`);
  return fns;
}

/**
 * acc + a·b in the simple variant. f32 goes through the IEEE helpers: a constant operand inlines
 * as a literal there, and the driver would fold NaN·0 and Inf·0 to 0 and +0 + (-0) to -0 (tiled
 * variants load through workgroup memory, which no driver folds).
 */
function accumulate(dtype: GemmSpec['dtype'], acc: string, a: string, b: string): string {
  return dtype === 'f32' ? `kiln_add_f32(${acc}, kiln_mul_f32(${a}, ${b}))` : `${acc} + ${a} * ${b}`;
}

/**
 * The GEMM kernel for `spec` under `choice`: a named variant (labelled by its name, as before
 * schedules were data) or any schedule legal on `limits` (labelled by its parameters).
 */
export function gemmTemplate(em: KernelEmitter, spec: GemmSpec, limits: DeviceLimits, choice: GemmVariant | GemmSchedule): TemplateResult {
  const schedule = resolveGemmSchedule(choice, spec.n, limits);
  const problem = gemmScheduleProblem(schedule, limits);
  if (problem !== undefined) throw new KilnError({ op: spec.name, message: `internal: GEMM schedule ${scheduleLabel(schedule)} is illegal on this device: ${problem}` });
  const label = typeof choice === 'string' ? choice : scheduleLabel(schedule);
  em.bindAnchor(spec.anchor, 'anchor_val');
  const declarations = [`var<private> anchor_val: ${spec.dtype};`];
  const zero = literal(spec.dtype, 0);
  if (schedule.kind === 'simple') {
    const wg = schedule.workgroup;
    const total = spec.batch * spec.m * spec.n;
    const grid = splitWorkgroups(Math.ceil(total / wg), limits.maxComputeWorkgroupsPerDimension);
    const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let t = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;
  if (t >= ${total}u) { return; }
  let b = t / ${divisorLit(spec.m * spec.n)};
  let m = (t / ${divisorLit(spec.n)}) % ${divisorLit(spec.m)};
  let n = t % ${divisorLit(spec.n)};
  var acc: ${spec.dtype} = ${zero};
  for (var k = 0u; k < ${spec.k}u; k = k + 1u) { acc = ${accumulate(spec.dtype, 'acc', 'gemm_a(b, m, k)', 'gemm_b(b, k, n)')}; }
  anchor_val = acc;
  let o = gemm_out(b, m, n);
  ${storeOutput(em, 'o')}
}`;
    return { template: `${spec.name}-${label}`, workgroupSize: wg, grid, declarations, functions: gemmFunctions(scalarOnly(spec)), main };
  }
  if (schedule.kind === 'splitk') return splitKTemplate(em, spec, limits, declarations, schedule.workgroup, label);
  const tl = schedule;
  const tx = tl.tn / tl.rn;
  const threads = tiledThreads(tl);
  const tilesM = Math.ceil(spec.m / tl.tm);
  const tilesN = Math.ceil(spec.n / tl.tn);
  const total = spec.batch * tilesM * tilesN;
  const grid = splitWorkgroups(total, limits.maxComputeWorkgroupsPerDimension);
  // Tiles hold vec4s so the inner loop reads each invocation's RM rows and RN columns as RM/4 + RN/4
  // vector loads (TM, TN, RM and RN are multiples of 4); loaders store single lanes.
  declarations.push(`var<workgroup> tile_a: array<vec4<${spec.dtype}>, ${(tl.tk * tl.tm) / 4}>;`, `var<workgroup> tile_b: array<vec4<${spec.dtype}>, ${(tl.tk * tl.tn) / 4}>;`);
  const { setup, loadA, loadB, used } = tileLoads(spec, tl, threads);
  const rows = Array.from({ length: tl.rm }, (_, r) => r);
  const cols = Array.from({ length: tl.rn }, (_, c) => c);
  const accDecl = rows.flatMap((r) => cols.map((c) => `  var acc_${r}_${c}: ${spec.dtype} = ${zero};`)).join('\n');
  const inner = [
    ...Array.from({ length: tl.rm / 4 }, (_, g) => `      let av${g} = tile_a[kk * ${tl.tm / 4}u + ty * ${tl.rm / 4}u + ${g}u];`),
    ...Array.from({ length: tl.rn / 4 }, (_, g) => `      let bv${g} = tile_b[kk * ${tl.tn / 4}u + tx * ${tl.rn / 4}u + ${g}u];`),
    ...rows.map((r) => `      let a${r} = av${Math.floor(r / 4)}[${r % 4}];`),
    ...cols.map((c) => `      let b${c} = bv${Math.floor(c / 4)}[${c % 4}];`),
    ...rows.flatMap((r) => cols.map((c) => `      acc_${r}_${c} = acc_${r}_${c} + a${r} * b${c};`)),
  ].join('\n');
  const unrolledStores = rows
    .flatMap((r) =>
      cols.map(
        (c) => `  if (mr + ${r}u < ${spec.m}u && nc + ${c}u < ${spec.n}u) {
    anchor_val = acc_${r}_${c};
    let o = gemm_out(b, mr + ${r}u, nc + ${c}u);
    ${storeOutput(em, 'o')}
  }`,
      ),
    )
    .join('\n');
  // Past 8×8 blocks the epilogue is emitted once, in a loop over the block: unrolled, each of up
  // to 1024 stores inlines the whole epilogue, and drivers (llvmpipe) take minutes to compile that.
  const loopedStores = `  var block: array<${spec.dtype}, ${tl.rm * tl.rn}>;
${rows.flatMap((r) => cols.map((c) => `  block[${r * tl.rn + c}] = acc_${r}_${c};`)).join('\n')}
  for (var i = 0u; i < ${tl.rm * tl.rn}u; i = i + 1u) {
    let r = i / ${tl.rn}u;
    let c = i % ${tl.rn}u;
    if (mr + r < ${spec.m}u && nc + c < ${spec.n}u) {
      anchor_val = block[i];
      let o = gemm_out(b, mr + r, nc + c);
      ${storeOutput(em, 'o')}
    }
  }`;
  const stores = tl.rm * tl.rn > 64 ? loopedStores : unrolledStores;
  const main = `@compute @workgroup_size(${threads},1,1)
fn main(${MAIN_PARAMS}) {
  let wg = ${linearWorkgroupExpr(grid)};
  if (wg >= ${total}u) { return; }
  let b = wg / ${divisorLit(tilesM * tilesN)};
  let tile = wg % ${divisorLit(tilesM * tilesN)};
  let m0 = (tile / ${divisorLit(tilesN)}) * ${tl.tm}u;
  let n0 = (tile % ${divisorLit(tilesN)}) * ${tl.tn}u;
  let ty = lid / ${tx}u;
  let tx = lid % ${tx}u;
${accDecl}
${setup}
  for (var k0 = 0u; k0 < ${spec.k}u; k0 = k0 + ${tl.tk}u) {
  ${loadA}
  ${loadB}
    workgroupBarrier();
    for (var kk = 0u; kk < ${tl.tk}u; kk = kk + 1u) {
${inner}
    }
    workgroupBarrier();
  }
  let mr = m0 + ty * ${tl.rm}u;
  let nc = n0 + tx * ${tl.rn}u;
${stores}
}`;
  return { template: `${spec.name}-${label}`, workgroupSize: threads, grid, declarations, functions: gemmFunctions(used), main };
}

function splitKTemplate(em: KernelEmitter, spec: GemmSpec, limits: DeviceLimits, declarations: string[], threads: number, label: string): TemplateResult {
  const blk = SPLITK_BLOCK;
  const outs = blk * blk;
  const zero = literal(spec.dtype, 0);
  const blocksM = Math.ceil(spec.m / blk);
  const blocksN = Math.ceil(spec.n / blk);
  const total = spec.batch * blocksM * blocksN;
  const grid = splitWorkgroups(total, limits.maxComputeWorkgroupsPerDimension);
  declarations.push(`var<workgroup> partial: array<${spec.dtype}, ${outs * threads}>;`);
  const idx = Array.from({ length: blk }, (_, i) => i);
  const body = [
    ...idx.map(
      (r) => `    var a${r}: ${spec.dtype} = ${zero};
    if (m0 + ${r}u < ${spec.m}u) { a${r} = gemm_a(b, m0 + ${r}u, k); }`,
    ),
    ...idx.map(
      (c) => `    var b${c}: ${spec.dtype} = ${zero};
    if (n0 + ${c}u < ${spec.n}u) { b${c} = gemm_b(b, k, n0 + ${c}u); }`,
    ),
    ...idx.flatMap((r) => idx.map((c) => `    acc_${r}_${c} = acc_${r}_${c} + a${r} * b${c};`)),
  ].join('\n');
  const main = `@compute @workgroup_size(${threads},1,1)
fn main(${MAIN_PARAMS}) {
  let wg = ${linearWorkgroupExpr(grid)};
  // Every invocation reaches the barriers below, so out-of-range workgroups only skip the store.
  let live = wg < ${total}u;
  let b = wg / ${divisorLit(blocksM * blocksN)};
  let blockId = wg % ${divisorLit(blocksM * blocksN)};
  let m0 = (blockId / ${divisorLit(blocksN)}) * ${blk}u;
  let n0 = (blockId % ${divisorLit(blocksN)}) * ${blk}u;
${idx.flatMap((r) => idx.map((c) => `  var acc_${r}_${c}: ${spec.dtype} = ${zero};`)).join('\n')}
  for (var k = lid; k < ${spec.k}u && live; k = k + ${threads}u) {
${body}
  }
${idx.flatMap((r) => idx.map((c) => `  partial[${r * blk + c}u * ${threads}u + lid] = acc_${r}_${c};`)).join('\n')}
  workgroupBarrier();
  for (var s = ${threads / 2}u; s >= 1u; s = s / 2u) {
    if (lid < s) {
      for (var j = 0u; j < ${outs}u; j = j + 1u) { partial[j * ${threads}u + lid] = partial[j * ${threads}u + lid] + partial[j * ${threads}u + lid + s]; }
    }
    workgroupBarrier();
  }
  if (!live || lid >= ${outs}u) { return; }
  let mr = m0 + lid / ${blk}u;
  let nc = n0 + lid % ${blk}u;
  if (mr < ${spec.m}u && nc < ${spec.n}u) {
    anchor_val = partial[lid * ${threads}u];
    let o = gemm_out(b, mr, nc);
    ${storeOutput(em, 'o')}
  }
}`;
  return { template: `${spec.name}-${label}`, workgroupSize: threads, grid, declarations, functions: gemmFunctions(scalarOnly(spec)), main };
}
