// CPU eval rule for N-d convolution (cross-correlation), input [N,*S,C] x kernel [*K,C/groups,O]
// with stride, padding, input (lhs) and kernel (rhs) dilation and feature groups; a direct loop over
// the zero-padded input (padded taps multiply a zero by the weight, so non-finite weights show).

import { elementAt, expectLengths } from '../invariant.js';
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
  // The verifier guarantees rank >= 3 for both operands and one attr entry per spatial dim; the
  // loops below index these unchecked, so the lengths are checked once here.
  expectLengths(rank, 'conv', { kernelShape: wShape, resultShape: oShape });
  expectLengths(sp, 'conv', { stride, padding, lhs_dilation: lhsDil, rhs_dilation: rhsDil });
  const batch = elementAt(xShape, 0, 'conv operand shape');
  const cPerGroup = elementAt(wShape, rank - 2, 'conv kernel shape');
  const cOut = elementAt(wShape, rank - 1, 'conv kernel shape');
  const oPerGroup = cOut / groups;
  const xStrides = stridesOf(xShape);
  const wStrides = stridesOf(wShape);
  const spatialOut = oShape.slice(1, 1 + sp);
  const taps = wShape.slice(0, sp);
  const tables = spatialOut.map((size, d) => tapTable(size, taps[d]!, xShape[d + 1]!, stride[d]!, padding[d]![0], lhsDil[d], rhsDil[d]));
  let outPositions = 1;
  for (const s of spatialOut) outPositions *= s;
  let tapCount = 1;
  for (const t of taps) tapCount *= t;
  const tapIndex = indexTable(taps);
  const tapOffset = new Int32Array(tapCount);
  for (let t = 0; t < tapCount; t++) {
    let off = 0;
    for (let d = 0; d < sp; d++) off += tapIndex[t * sp + d]! * wStrides[d]!;
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
        let xOff = n * xStrides[0]!;
        let inside = true;
        for (let d = 0; d < sp; d++) {
          const ti = tapIndex[t * sp + d]!;
          const idx = tables[d]![outIndex[d]! * taps[d]! + ti]!;
          if (idx < 0) {
            inside = false;
            break;
          }
          xOff += idx * xStrides[d + 1]!;
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
