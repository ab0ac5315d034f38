// CPU eval rules for window ops: reduce_window (max/sum pooling over padded windows) and its
// gradient select_and_scatter_add (each window routes its source value to its first maximum).

import { reduceWindowKind } from '../ops/compute.js';
import { stridesOf } from '../shape.js';
import { allocateResult, arg, type EvalRule } from './eval-rule.js';
import { reduceIdentity } from './eval-reduce.js';
import { unflatten, WindowReader } from './windows.js';

/** Padding reads as the kind's identity (-inf for max, 0 for sum), so skipping it is exact. */
export const evalReduceWindow: EvalRule<'reduce_window'> = (node, operands, ctx) => {
  const x = arg(operands, 0);
  const out = allocateResult(node, ctx);
  const { window, stride, padding } = node.attrs;
  const kind = reduceWindowKind(node.attrs);
  const outShape = node.type.shape;
  const reader = new WindowReader(
    outShape,
    window,
    x.type.shape,
    stridesOf(x.type.shape),
    stride,
    padding.map((p) => p[0]),
  );
  const init = reduceIdentity(kind, node.type.dtype);
  const xd = x.data;
  const o = out.data;
  const outIndex = new Int32Array(outShape.length);
  const isMax = kind === 'max';
  for (let pos = 0; pos < o.length; pos++) {
    unflatten(pos, outShape, outIndex);
    let acc = init;
    for (let t = 0; t < reader.tapCount; t++) {
      const off = reader.offsetAt(outIndex, t);
      if (off < 0) continue;
      const v = xd[off]!;
      if (!isMax) acc += v;
      else if (v > acc || v !== v) acc = v;
      if (acc !== acc) break;
    }
    o[pos] = acc;
  }
  return out;
};

/**
 * For each window (one per source element) find the first maximum of the operand among the
 * window's non-padding positions, in row-major order within the window (a NaN counts as the
 * maximum, as in argmax), and add the source value there. Windows made only of padding add nothing.
 */
export const evalSelectAndScatterAdd: EvalRule<'select_and_scatter_add'> = (node, operands, ctx) => {
  const src = arg(operands, 0);
  const x = arg(operands, 1);
  const out = allocateResult(node, ctx);
  const { window, stride, padding } = node.attrs;
  const srcShape = src.type.shape;
  const reader = new WindowReader(
    srcShape,
    window,
    x.type.shape,
    stridesOf(x.type.shape),
    stride,
    padding.map((p) => p[0]),
  );
  const acc = new Float64Array(out.data.length);
  const xd = x.data;
  const sd = src.data;
  const outIndex = new Int32Array(srcShape.length);
  for (let pos = 0; pos < sd.length; pos++) {
    unflatten(pos, srcShape, outIndex);
    let bestOff = -1;
    let best = 0;
    for (let t = 0; t < reader.tapCount; t++) {
      const off = reader.offsetAt(outIndex, t);
      if (off < 0) continue;
      const v = xd[off]!;
      if (bestOff < 0 || v > best || (v !== v && best === best)) {
        best = v;
        bestOff = off;
      }
    }
    if (bestOff >= 0) acc[bestOff] = acc[bestOff]! + sd[pos]!;
  }
  out.data.set(acc);
  return out;
};
