// CPU eval rules for layout ops (reshape, transpose, broadcast, slice, pad, concat). Each is one
// strided copy: the operand is read through per-dim strides derived from the op's attributes.

import { stridesOf } from '../shape.js';
import { convertScalar } from './host-tensor.js';
import { allocateResult, arg, type EvalRule } from './eval-rule.js';
import { copyStrided } from './strided.js';

export const evalReshape: EvalRule<'reshape'> = (node, operands, ctx) => {
  const out = allocateResult(node, ctx);
  out.data.set(arg(operands, 0).data);
  return out;
};

export const evalTranspose: EvalRule<'transpose'> = (node, operands, ctx) => {
  const x = arg(operands, 0);
  const out = allocateResult(node, ctx);
  const inStrides = stridesOf(x.type.shape);
  const srcStrides = node.attrs.perm.map((p) => inStrides[p] ?? 0);
  copyStrided(x.data, 0, srcStrides, out.data, 0, stridesOf(node.type.shape), node.type.shape);
  return out;
};

export const evalBroadcast: EvalRule<'broadcast'> = (node, operands, ctx) => {
  const x = arg(operands, 0);
  const out = allocateResult(node, ctx);
  const inStrides = stridesOf(x.type.shape);
  // Result dims not named in `dims`, and operand dims of size 1, repeat: stride 0.
  const srcStrides = node.type.shape.map(() => 0);
  node.attrs.dims.forEach((d, i) => {
    srcStrides[d] = x.type.shape[i] === 1 ? 0 : (inStrides[i] ?? 0);
  });
  copyStrided(x.data, 0, srcStrides, out.data, 0, stridesOf(node.type.shape), node.type.shape);
  return out;
};

export const evalSlice: EvalRule<'slice'> = (node, operands, ctx) => {
  const x = arg(operands, 0);
  const out = allocateResult(node, ctx);
  const inStrides = stridesOf(x.type.shape);
  const { start, stride } = node.attrs;
  let srcOff = 0;
  const srcStrides = inStrides.map((s, i) => {
    srcOff += (start[i] ?? 0) * s;
    return s * (stride[i] ?? 1);
  });
  copyStrided(x.data, srcOff, srcStrides, out.data, 0, stridesOf(node.type.shape), node.type.shape);
  return out;
};

/**
 * Operand element i of a dim lands at low + i·(interior+1); elements landing outside the result
 * (negative low/high crop) are skipped, so only the in-range box of the operand is copied.
 */
export const evalPad: EvalRule<'pad'> = (node, operands, ctx) => {
  const x = arg(operands, 0);
  const out = allocateResult(node, ctx);
  out.data.fill(convertScalar(node.type.dtype, node.attrs.value));
  const inStrides = stridesOf(x.type.shape);
  const outStrides = stridesOf(node.type.shape);
  let srcOff = 0;
  let dstOff = 0;
  const dstStrides: number[] = [];
  const box = x.type.shape.map((d, i) => {
    const low = node.attrs.low[i] ?? 0;
    const step = (node.attrs.interior[i] ?? 0) + 1;
    const outDim = node.type.shape[i] ?? 0;
    const first = low >= 0 ? 0 : Math.ceil(-low / step);
    const last = Math.min(d - 1, Math.floor((outDim - 1 - low) / step));
    const count = Math.max(0, last - first + 1);
    srcOff += first * (inStrides[i] ?? 0);
    dstOff += (low + first * step) * (outStrides[i] ?? 0);
    dstStrides.push((outStrides[i] ?? 0) * step);
    return count;
  });
  copyStrided(x.data, srcOff, inStrides, out.data, dstOff, dstStrides, box);
  return out;
};

export const evalConcat: EvalRule<'concat'> = (node, operands, ctx) => {
  const out = allocateResult(node, ctx);
  const axis = node.attrs.axis;
  const outStrides = stridesOf(node.type.shape);
  const axisStride = outStrides[axis] ?? 0;
  let at = 0;
  for (const x of operands) {
    copyStrided(x.data, 0, stridesOf(x.type.shape), out.data, at * axisStride, outStrides, x.type.shape);
    at += x.type.shape[axis] ?? 0;
  }
  return out;
};
