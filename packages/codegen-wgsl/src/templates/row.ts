// Row template (softmax, layer_norm, logsumexp): one workgroup per row runs the kernel's
// last-axis reductions in order, each a strided accumulation plus a shared-memory tree whose
// result every thread keeps in a private variable; then the row's outputs are written. The row
// itself is re-read (its prologue recomputed) by each pass, never cached in workgroup memory.

import { KilnError, numel, scratchBytesPerLane, type Node, type ValueId } from '@kiln/ir';
import { linearWorkgroupExpr, splitWorkgroups } from '../dispatch.js';
import type { IndexClass } from '../anchor-flow.js';
import type { KernelEmitter } from '../kernel-emitter.js';
import { fitReductionWorkgroupSize, type DeviceLimits } from '../limits.js';
import { valueType } from '../wgsl-types.js';
import { MAIN_PARAMS, reducer, storeOutput, workgroupReduce, type TemplateResult } from './common.js';

export function rowTemplate(
  em: KernelEmitter,
  reductions: readonly Node[],
  rowLength: number,
  classes: ReadonlyMap<ValueId, IndexClass>,
  limits: DeviceLimits,
  preferredSize?: number,
): TemplateResult {
  const first = reductions[0];
  if (first === undefined) throw new Error('internal: row kernel without reductions');
  const rows = numel(first.type.shape);
  const wg = fitReductionWorkgroupSize(preferredSize ?? (rowLength > 512 ? 256 : 64), scratchBytesPerLane(reductions), limits);
  const grid = splitWorkgroups(rows, limits.maxComputeWorkgroupsPerDimension);
  const declarations: string[] = [];
  const parts: string[] = [];
  reductions.forEach((red, j) => {
    if (red.op !== 'reduce_sum' && red.op !== 'reduce_max' && red.op !== 'reduce_min') throw em.error(red, 'row kernels take only reduce_sum/max/min');
    const x = red.operands[0]!;
    const dtype = em.typeOf(x).dtype;
    const t = valueType(dtype);
    const kind = red.op === 'reduce_sum' ? 'sum' : red.op === 'reduce_max' ? 'max' : 'min';
    const r = reducer(kind, dtype);
    declarations.push(`var<private> row_${j}: ${t};`, `var<workgroup> sh_${j}: array<${t}, ${wg}>;`);
    // The operand is read before binding this reduction's result, so it cannot refer to itself.
    const load = em.value(x, `row * ${rowLength}u + j`);
    em.bindAnchor(red.id, `row_${j}`);
    parts.push(`  // ${em.label(red.id)} = ${red.op} ${em.label(x)}
  var acc_${j}: ${t} = ${r.identity};
  for (var j = lid; j < ${rowLength}u; j = j + ${wg}u) { acc_${j} = ${r.combine(`acc_${j}`, load)}; }
${workgroupReduce(em, `sh_${j}`, `acc_${j}`, wg, kind, dtype)}
  row_${j} = sh_${j}[0];`);
  });
  const out = em.kernel.outputs[0]!.value;
  const outCount = numel(em.typeOf(out).shape);
  const cls = classes.get(out) ?? (outCount === rows * rowLength ? 'elem' : outCount === rows ? 'row' : undefined);
  if (cls === undefined) throw new KilnError({ message: `kernel @${em.kernel.name}: row kernel output has ${outCount} elements, neither ${rows} rows nor ${rows}x${rowLength}` });
  const store =
    cls === 'elem'
      ? `  for (var j = lid; j < ${rowLength}u; j = j + ${wg}u) {
    let o = row * ${rowLength}u + j;
    ${storeOutput(em, 'o')}
  }`
      : `  if (lid == 0u) {
    ${storeOutput(em, 'row')}
  }`;
  const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let row = ${linearWorkgroupExpr(grid)};
  if (row >= ${rows}u) { return; }
${parts.join('\n')}
${store}
}`;
  return { template: 'row', workgroupSize: wg, grid, declarations, functions: [], main };
}
