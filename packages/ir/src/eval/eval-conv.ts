// CPU eval rule for N-d convolution (cross-correlation), input [N,*S,C] x kernel [*K,C/groups,O]
// with stride, padding, input (lhs) and kernel (rhs) dilation and feature groups; a direct loop over
// the zero-padded input (padded taps multiply a zero by the weight, so non-finite weights show).

import { stridesOf } from '../shape.js';
import { allocateResult, arg, type EvalRule } from './eval-rule.js';
import { indexTable, tapTable, unflatten } from './windows.js';

export const evalConv: EvalRule<'conv'> = (node, operands, ctx) => {
  const x = arg(operands, 0);
  const w = arg(operands, 1);
  const out = allocateResult(node, ctx);
  const { stride, padding, lhs_dilation: lhsDil, rhs_dilation: rhsDil, groups } = node.attrs;
  const xShape = x.type.shape;
  const wShape = w.type.shape;
  const oShape = node.type.shape;
  const rank = xShape.length;
  const sp = rank - 2;
  const batch = xShape[0] ?? 0;
  const cPerGroup = wShape[rank - 2] ?? 0;
  const cOut = wShape[rank - 1] ?? 0;
  const oPerGroup = cOut / groups;
  const xStrides = stridesOf(xShape);
  const wStrides = stridesOf(wShape);
  const spatialOut = oShape.slice(1, 1 + sp);
  const taps = wShape.slice(0, sp);
  const tables = spatialOut.map((size, d) =>
    tapTable(size, taps[d] ?? 0, xShape[d + 1] ?? 0, stride[d] ?? 1, padding[d]?.[0] ?? 0, lhsDil[d] ?? 1, rhsDil[d] ?? 1),
  );
  let outPositions = 1;
  for (const s of spatialOut) outPositions *= s;
  let tapCount = 1;
  for (const t of taps) tapCount *= t;
  const tapIndex = indexTable(taps);
  const tapOffset = new Int32Array(tapCount);
  for (let t = 0; t < tapCount; t++) {
    let off = 0;
    for (let d = 0; d < sp; d++) off += tapIndex[t * sp + d]! * (wStrides[d] ?? 0);
    tapOffset[t] = off;
  }
  const xd = x.data;
  const wd = w.data;
  const o = out.data;
  const acc = new Float64Array(cOut);
  const outIndex = new Int32Array(sp);
  for (let n = 0; n < batch; n++) {
    for (let pos = 0; pos < outPositions; pos++) {
      unflatten(pos, spatialOut, outIndex);
      acc.fill(0);
      for (let t = 0; t < tapCount; t++) {
        let xOff = n * (xStrides[0] ?? 0);
        let inside = true;
        for (let d = 0; d < sp; d++) {
          const ti = tapIndex[t * sp + d]!;
          const idx = tables[d]![outIndex[d]! * (taps[d] ?? 0) + ti]!;
          if (idx < 0) {
            inside = false;
            break;
          }
          xOff += idx * (xStrides[d + 1] ?? 0);
        }
        // A tap in the padding or in an lhs-dilation hole reads a zero, which still meets the weight:
        // conv is zero-padding then correlation, so 0·Inf and 0·NaN give NaN (as the WebGPU kernels do).
        const wOff = tapOffset[t]!;
        for (let g = 0; g < groups; g++) {
          const oBase = g * oPerGroup;
          for (let ci = 0; ci < cPerGroup; ci++) {
            const xv = inside ? xd[xOff + g * cPerGroup + ci]! : 0;
            const wRow = wOff + ci * cOut + oBase;
            for (let co = 0; co < oPerGroup; co++) acc[oBase + co] = acc[oBase + co]! + xv * wd[wRow + co]!;
          }
        }
      }
      o.set(acc, (n * outPositions + pos) * cOut);
    }
  }
  return out;
};
