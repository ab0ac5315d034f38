// gather and scatter_add templates (numpy take along one axis, and its transpose).
// gather: one invocation per output element, index clamped into range as the CPU does.
// scatter_add: one dispatch over max(|operand|, |updates|) invocations into a zero-filled output:
// invocation t atomically adds operand[t] and routes updates[t] to its target (out-of-range
// indices dropped). f32 adds are a compare-exchange loop on the bits (atomic<u32>), so the
// summation order, and hence rounding, may differ from the CPU's; integer adds are exact.

import { elementAt, numel, type NodeOf } from '@kiln/ir';
import { linearWorkgroupExpr, splitWorkgroups } from '../dispatch.js';
import { OUTPUT_BUFFER, type KernelEmitter } from '../kernel-emitter.js';
import { fitWorkgroupSize, type DeviceLimits } from '../limits.js';
import { divisorLit, valueType } from '../wgsl-types.js';
import { MAIN_PARAMS, storeOutput, type TemplateResult } from './common.js';

function geometry(shape: readonly number[], axis: number, indexCount: number): { outer: number; len: number; inner: number; count: number } {
  return { outer: numel(shape.slice(0, axis)), len: elementAt(shape, axis, 'gather/scatter operand shape'), inner: numel(shape.slice(axis + 1)), count: indexCount };
}

/** i32/u32 index value → in-range u32 position (clamped). */
function clampIndex(dtype: string, raw: string, len: number): string {
  return dtype === 'i32' ? `u32(clamp(${raw}, 0i, ${len - 1}i))` : `min(${raw}, ${len - 1}u)`;
}

export function gatherTemplate(em: KernelEmitter, anchor: NodeOf<'gather'>, limits: DeviceLimits): TemplateResult {
  const [table, indices] = anchor.operands as [number, number];
  const tShape = em.typeOf(table).shape;
  const idxType = em.typeOf(indices);
  const { len, inner, count } = geometry(tShape, anchor.attrs.axis, numel(idxType.shape));
  const total = numel(anchor.type.shape);
  if (len === 0 && total > 0) throw em.error(anchor, `cannot gather from empty axis ${anchor.attrs.axis}`);
  const wg = fitWorkgroupSize(64, limits);
  const grid = splitWorkgroups(Math.ceil(total / wg), limits.maxComputeWorkgroupsPerDimension);
  em.bindAnchor(anchor.id, 'anchor_val');
  const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let o = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;
  if (o >= ${total}u) { return; }
  let q = o / ${divisorLit(count * inner)};
  let j = (o / ${divisorLit(inner)}) % ${divisorLit(count)};
  let p = o % ${divisorLit(inner)};
  let at = ${clampIndex(idxType.dtype, em.value(indices, 'j'), len)};
  anchor_val = ${em.value(table, `(q * ${len}u + at) * ${inner}u + p`)};
  ${storeOutput(em, 'o')}
}`;
  return { template: 'gather', workgroupSize: wg, grid, declarations: [`var<private> anchor_val: ${valueType(anchor.type.dtype)};`], functions: [], main };
}

export function scatterAddTemplate(em: KernelEmitter, anchor: NodeOf<'scatter_add'>, limits: DeviceLimits): TemplateResult {
  const [operand, indices, updates] = anchor.operands as [number, number, number];
  const oType = em.typeOf(operand);
  const idxType = em.typeOf(indices);
  const { len, inner, count } = geometry(oType.shape, anchor.attrs.axis, numel(idxType.shape));
  const nOut = numel(oType.shape);
  const nUpd = numel(em.typeOf(updates).shape);
  const total = Math.max(nOut, nUpd);
  const wg = fitWorkgroupSize(64, limits);
  const grid = splitWorkgroups(Math.ceil(total / wg), limits.maxComputeWorkgroupsPerDimension);
  const dtype = oType.dtype;
  const add =
    dtype === 'f32'
      ? `fn scatter_add_at(i: u32, v: f32) {
  var old = atomicLoad(&${OUTPUT_BUFFER}[i]);
  loop {
    let r = atomicCompareExchangeWeak(&${OUTPUT_BUFFER}[i], old, bitcast<u32>(bitcast<f32>(old) + v));
    if (r.exchanged) { break; }
    old = r.old_value;
  }
}`
      : `fn scatter_add_at(i: u32, v: ${dtype}) { atomicAdd(&${OUTPUT_BUFFER}[i], v); }`;
  const raw = em.value(indices, 'j');
  const inRange = idxType.dtype === 'i32' ? `raw >= 0i && raw < ${len}i` : `raw < ${len}u`;
  const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let t = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;
  if (t >= ${total}u) { return; }
  if (t < ${nOut}u) { scatter_add_at(t, ${em.value(operand, 't')}); }
  if (t < ${nUpd}u) {
    let q = t / ${divisorLit(count * inner)};
    let j = (t / ${divisorLit(inner)}) % ${divisorLit(count)};
    let p = t % ${divisorLit(inner)};
    let raw = ${raw};
    if (${inRange}) { scatter_add_at((q * ${len}u + u32(raw)) * ${inner}u + p, ${em.value(updates, 't')}); }
  }
}`;
  return { template: 'scatter_add', workgroupSize: wg, grid, declarations: [], functions: [add], main, atomicOutput: true };
}
