// Reduction template (one reduce_sum/max/min or argmax/argmin anchor): 'serial' runs one
// invocation per output element looping over the reduced elements; 'tree' gives each output
// element a workgroup that accumulates strided partials and combines them in shared memory.
// The prologue is folded into the operand loads; the epilogue runs on the result before the store.

import { elementAt, numel, scratchBytesPerLane, stridesOf, type Node, type NodeOf } from '@kiln/ir';
import { linearWorkgroupExpr, splitWorkgroups } from '../dispatch.js';
import { stridedIndex } from '../index-math.js';
import type { KernelEmitter } from '../kernel-emitter.js';
import { fitReductionWorkgroupSize, fitWorkgroupSize, type DeviceLimits } from '../limits.js';
import { valueType } from '../wgsl-types.js';
import { MAIN_PARAMS, reducer, storeOutput, workgroupReduce, type TemplateResult } from './common.js';

export type ReductionVariant = 'serial' | 'tree';

type ReduceNode = NodeOf<'reduce_sum'> | NodeOf<'reduce_max'> | NodeOf<'reduce_min'> | NodeOf<'argmax'> | NodeOf<'argmin'>;

export function isReduceNode(n: Node): n is ReduceNode {
  return n.op === 'reduce_sum' || n.op === 'reduce_max' || n.op === 'reduce_min' || n.op === 'argmax' || n.op === 'argmin';
}

export function chooseReductionVariant(reduced: number, outputs: number): ReductionVariant {
  return reduced >= 256 || (reduced >= 32 && outputs < 4096) ? 'tree' : 'serial';
}

/** `fn red_index(o, k)`: operand flat index of output element o, reduced element k. */
function indexFunction(shape: readonly number[], axes: readonly number[]): { fn: string; reduced: number } {
  const strides = stridesOf(shape);
  const keptShape = shape.filter((_, d) => !axes.includes(d));
  const keptStrides = strides.filter((_, d) => !axes.includes(d));
  const redShape = axes.map((d) => elementAt(shape, d, 'reduction operand shape'));
  const redStrides = axes.map((d) => elementAt(strides, d, 'reduction operand strides'));
  const fn = `fn red_index(o: u32, k: u32) -> u32 {
  return ${stridedIndex(keptShape, keptStrides, 0, 'o')} + ${stridedIndex(redShape, redStrides, 0, 'k')};
}`;
  return { fn, reduced: numel(redShape) };
}

/** f32 "x beats best" for argmax/argmin: strictly better, or x is NaN and best is not (first NaN wins). */
function beats(op: 'argmax' | 'argmin', isFloat: boolean, x: string, best: string): string {
  const cmp = `${x} ${op === 'argmax' ? '>' : '<'} ${best}`;
  return isFloat ? `(${cmp} || (kiln_isnan(${x}) && !kiln_isnan(${best})))` : `(${cmp})`;
}

export function reductionTemplate(em: KernelEmitter, anchor: ReduceNode, limits: DeviceLimits, variant?: ReductionVariant, treeSize?: number): TemplateResult {
  const x = anchor.operands[0]!;
  const xType = em.typeOf(x);
  const isArg = anchor.op === 'argmax' || anchor.op === 'argmin';
  const axes = isArg ? [(anchor as NodeOf<'argmax'>).attrs.axis] : (anchor as NodeOf<'reduce_sum'>).attrs.axes;
  const { fn, reduced } = indexFunction(xType.shape, axes);
  const outputs = numel(anchor.type.shape);
  const chosen = variant ?? chooseReductionVariant(reduced, outputs);
  const t = valueType(xType.dtype);
  const load = (k: string): string => em.value(x, `red_index(o, ${k})`);
  const declarations = [`var<private> anchor_val: ${valueType(anchor.type.dtype)};`];
  em.bindAnchor(anchor.id, 'anchor_val');
  const isFloat = xType.dtype === 'f32';

  if (chosen === 'serial') {
    const wg = fitWorkgroupSize(64, limits);
    const grid = splitWorkgroups(Math.ceil(outputs / wg), limits.maxComputeWorkgroupsPerDimension);
    let body: string;
    if (anchor.op === 'argmax' || anchor.op === 'argmin') {
      body = `  var best: ${t} = ${load('0u')};
  var bi = 0u;
  for (var k = 1u; k < ${reduced}u; k = k + 1u) {
    let v = ${load('k')};
    if ${beats(anchor.op, isFloat, 'v', 'best')} { best = v; bi = k; }
  }
  anchor_val = i32(bi);`;
    } else {
      const r = reducer(anchor.op === 'reduce_sum' ? 'sum' : anchor.op === 'reduce_max' ? 'max' : 'min', xType.dtype);
      body = `  var acc: ${t} = ${r.identity};
  for (var k = 0u; k < ${reduced}u; k = k + 1u) { acc = ${r.combine('acc', load('k'))}; }
  anchor_val = acc;`;
    }
    const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let o = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;
  if (o >= ${outputs}u) { return; }
${body}
  ${storeOutput(em, 'o')}
}`;
    return { template: 'reduction-serial', workgroupSize: wg, grid, declarations, functions: [fn], main };
  }

  const wg = fitReductionWorkgroupSize(treeSize ?? (reduced >= 1024 ? 256 : 64), scratchBytesPerLane([anchor]), limits);
  const grid = splitWorkgroups(outputs, limits.maxComputeWorkgroupsPerDimension);
  let body: string;
  if (anchor.op === 'argmax' || anchor.op === 'argmin') {
    declarations.push(`var<workgroup> sh_v: array<${t}, ${wg}>;`, `var<workgroup> sh_i: array<u32, ${wg}>;`);
    const none = '0xffffffffu';
    const same = isFloat ? '(b == a || (kiln_isnan(b) && kiln_isnan(a)))' : '(b == a)';
    body = `  var best: ${t} = ${load('0u')};
  var bi = ${none};
  for (var k = lid; k < ${reduced}u; k = k + ${wg}u) {
    let v = ${load('k')};
    if (bi == ${none} || ${beats(anchor.op, isFloat, 'v', 'best')}) { best = v; bi = k; }
  }
  sh_v[lid] = best;
  sh_i[lid] = bi;
  workgroupBarrier();
${reductionSteps(
  wg,
  (s) => `    let ai = sh_i[lid];
    let bj = sh_i[lid + ${s}u];
    let a = sh_v[lid];
    let b = sh_v[lid + ${s}u];
    if (bj != ${none} && (ai == ${none} || ${beats(anchor.op, isFloat, 'b', 'a')} || (${same} && bj < ai))) { sh_v[lid] = b; sh_i[lid] = bj; }`,
)}
  if (lid == 0u) {
    anchor_val = i32(sh_i[0]);
    ${storeOutput(em, 'o')}
  }`;
  } else {
    declarations.push(`var<workgroup> sh: array<${t}, ${wg}>;`);
    const kind = anchor.op === 'reduce_sum' ? 'sum' : anchor.op === 'reduce_max' ? 'max' : 'min';
    const r = reducer(kind, xType.dtype);
    body = `  var acc: ${t} = ${r.identity};
  for (var k = lid; k < ${reduced}u; k = k + ${wg}u) { acc = ${r.combine('acc', load('k'))}; }
${workgroupReduce(em, 'sh', 'acc', wg, kind, xType.dtype)}
  if (lid == 0u) {
    anchor_val = sh[0];
    ${storeOutput(em, 'o')}
  }`;
  }
  const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let o = ${linearWorkgroupExpr(grid)};
  if (o >= ${outputs}u) { return; }
${body}
}`;
  return { template: 'reduction-tree', workgroupSize: wg, grid, declarations, functions: [fn], main };
}

/** Unrolled halving steps, each followed by a barrier; `step(s)` combines lid with lid + s. */
function reductionSteps(size: number, step: (s: number) => string): string {
  const lines: string[] = [];
  for (let s = size / 2; s >= 1; s /= 2) {
    lines.push(`  if (lid < ${s}u) {\n${step(s)}\n  }`);
    lines.push('  workgroupBarrier();');
  }
  return lines.join('\n');
}
