// conv anchors as implicit GEMM (no im2col buffer): with groups as the batch, A[g, m, k] is the
// input element under output position m = (n, *spatial) and tap k = (*window, c) — zero where
// the tap falls on padding or a hole of the input dilation — and B[g, k, o] is the HWIO kernel.

import { elementAt, numel, stridesOf, type NodeOf } from '@kiln/ir';
import { coordOf, flatIndex } from '../index-math.js';
import type { KernelEmitter } from '../kernel-emitter.js';
import type { DeviceLimits } from '../limits.js';
import { divisorLit } from '../wgsl-types.js';
import type { TemplateResult } from './common.js';
import { chooseGemmVariant, gemmTemplate, resolveGemmSchedule, type GemmVariant } from './gemm.js';
import type { GemmSchedule } from './gemm-schedule.js';

export function convTemplate(em: KernelEmitter, anchor: NodeOf<'conv'>, limits: DeviceLimits, variant?: GemmVariant | GemmSchedule): TemplateResult {
  const [x, w] = anchor.operands as [number, number];
  const xShape = em.typeOf(x).shape;
  const wShape = em.typeOf(w).shape;
  const oShape = anchor.type.shape;
  const rank = xShape.length;
  const sp = rank - 2;
  const { stride, padding, lhs_dilation: lhsDil, rhs_dilation: rhsDil, groups } = anchor.attrs;
  const batchN = elementAt(xShape, 0, 'conv input shape (rank >= 3)');
  const cPerGroup = elementAt(wShape, rank - 2, 'conv kernel shape (rank >= 3)');
  const cOut = elementAt(wShape, rank - 1, 'conv kernel shape (rank >= 3)');
  const oPerGroup = cOut / groups;
  const spatialOut = oShape.slice(1, 1 + sp);
  const taps = wShape.slice(0, sp);
  const positions = numel(spatialOut);
  const m = batchN * positions;
  const k = numel(taps) * cPerGroup;
  const chosen = variant ?? chooseGemmVariant({ m, n: oPerGroup, k });
  const schedule = resolveGemmSchedule(chosen, oPerGroup, limits);
  // Four consecutive taps k..k+3 (k % 4 == 0) are one window position's channels ci..ci+3 when
  // channels per group divide by 4: one vec4 of the NHWC input, one bounds check. Declared before
  // any value function reads x.
  const xInput = em.inputNumber(x);
  const a4 = schedule.kind === 'tiled' && schedule.vec4 && xInput !== undefined && !em.aliasing.fromOutput.has(xInput) && cPerGroup % 4 === 0;
  if (a4) em.vec4Inputs.add(xInput);
  const lines = [
    `  let nb = m / ${divisorLit(positions)};`,
    `  let pos = m % ${divisorLit(positions)};`,
    `  let tap = k / ${divisorLit(cPerGroup)};`,
    `  let ci = k % ${divisorLit(cPerGroup)};`,
  ];
  const coords = ['nb'];
  for (let d = 0; d < sp; d++) {
    const o = coordOf(spatialOut, d, 'pos');
    const t = coordOf(taps, d, 'tap');
    const s = elementAt(stride, d, 'conv stride');
    const rd = elementAt(rhsDil, d, 'conv rhs_dilation');
    const ld = elementAt(lhsDil, d, 'conv lhs_dilation');
    const lo = elementAt(padding, d, 'conv padding')[0];
    lines.push(`  let p${d} = i32(${o} * ${s}u + ${t} * ${rd}u) - ${lo}i;`);
    lines.push(`  if (p${d} < 0i${ld > 1 ? ` || (p${d} % ${ld}i) != 0i` : ''}) { return 0.0f; }`);
    lines.push(`  let q${d} = u32(p${d}${ld > 1 ? ` / ${ld}i` : ''});`);
    lines.push(`  if (q${d} >= ${elementAt(xShape, d + 1, 'conv input shape')}u) { return 0.0f; }`);
    coords.push(`q${d}`);
  }
  coords.push(groups === 1 ? 'ci' : `b * ${cPerGroup}u + ci`);
  lines.push(`  return ${em.value(x, flatIndex(xShape, coords))};`);
  // The same addressing split for row-hoisted tile loads: position terms per row, tap terms per k.
  const fields = ['  nb: u32,'];
  const rowLines = [`  let pos = m % ${divisorLit(positions)};`, '  var r: ARow;', `  r.nb = m / ${divisorLit(positions)};`];
  const atLines = [`  let tap = k / ${divisorLit(cPerGroup)};`, `  let ci = k % ${divisorLit(cPerGroup)};`];
  const atCoords = ['r.nb'];
  for (let d = 0; d < sp; d++) {
    const s = elementAt(stride, d, 'conv stride');
    const rd = elementAt(rhsDil, d, 'conv rhs_dilation');
    const ld = elementAt(lhsDil, d, 'conv lhs_dilation');
    const lo = elementAt(padding, d, 'conv padding')[0];
    fields.push(`  p${d}: i32,`);
    rowLines.push(`  r.p${d} = i32(${coordOf(spatialOut, d, 'pos')} * ${s}u) - ${lo}i;`);
    atLines.push(`  let p${d} = r.p${d} + i32(${coordOf(taps, d, 'tap')} * ${rd}u);`);
    atLines.push(`  if (p${d} < 0i${ld > 1 ? ` || (p${d} % ${ld}i) != 0i` : ''}) { return 0.0f; }`);
    atLines.push(`  let q${d} = u32(p${d}${ld > 1 ? ` / ${ld}i` : ''});`);
    atLines.push(`  if (q${d} >= ${elementAt(xShape, d + 1, 'conv input shape')}u) { return 0.0f; }`);
    atCoords.push(`q${d}`);
  }
  atCoords.push(groups === 1 ? 'ci' : `b * ${cPerGroup}u + ci`);
  rowLines.push('  return r;');
  const xIdx = flatIndex(xShape, atCoords);
  atLines.push(`  return ${em.value(x, xIdx)};`);
  const wStrides = stridesOf(wShape);
  const kStride = wStrides[rank - 2] ?? cOut;
  const wInput = em.inputNumber(w);
  const b4 = schedule.kind === 'tiled' && schedule.vec4 && wInput !== undefined && !em.aliasing.fromOutput.has(wInput) && oPerGroup % 4 === 0 && cOut % 4 === 0;
  if (b4) em.vec4Inputs.add(wInput);
  const at4Body = a4
    ? atLines
        .map((l) => l.replace('return 0.0f;', 'return vec4<f32>(0.0f);'))
        .slice(0, -1)
        .concat(`  return ${em.inputVec4(xInput, `(${xIdx}) >> 2u`)};`)
        .join('\n')
    : undefined;
  const wIdx = `k * ${kStride}u + ${groups === 1 ? 'n' : `b * ${oPerGroup}u + n`}`;
  return gemmTemplate(
    em,
    {
      name: 'conv',
      anchor: anchor.id,
      batch: groups,
      m,
      n: oPerGroup,
      k,
      dtype: 'f32',
      aBody: lines.join('\n'),
      bBody: `  return ${em.value(w, wIdx)};`,
      outBody: `  return m * ${cOut}u + ${groups === 1 ? 'n' : `b * ${oPerGroup}u + n`};`,
      aRow: { fields: fields.join('\n'), rowBody: rowLines.join('\n'), atBody: atLines.join('\n'), ...(at4Body !== undefined ? { at4Body } : {}) },
      ...(b4 && wInput !== undefined ? { b4Body: `  return ${em.inputVec4(wInput, `(${wIdx}) >> 2u`)};` } : {}),
    },
    limits,
    chosen,
  );
}
