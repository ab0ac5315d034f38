// CPU eval rules for layout ops (reshape, transpose, broadcast, slice, pad, concat). Each is one
// strided copy: the operand is read through per-dim strides derived from the op's attributes.

import { elementAt } from '../invariant.js';
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
  const srcStrides = node.attrs.perm.map((p) => elementAt(inStrides, p, 'transpose operand strides'));
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
    srcStrides[d] = x.type.shape[i] === 1 ? 0 : elementAt(inStrides, i, 'broadcast operand strides');
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
    srcOff += elementAt(start, i, 'slice start') * s;
    return s * elementAt(stride, i, 'slice stride');
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
    const low = elementAt(node.attrs.low, i, 'pad low');
    const step = elementAt(node.attrs.interior, i, 'pad interior') + 1;
    const outDim = elementAt(node.type.shape, i, 'pad result shape');
    const first = low >= 0 ? 0 : Math.ceil(-low / step);
    const last = Math.min(d - 1, Math.floor((outDim - 1 - low) / step));
    const count = Math.max(0, last - first + 1);
    const outStride = elementAt(outStrides, i, 'pad result strides');
    srcOff += first * elementAt(inStrides, i, 'pad operand strides');
    dstOff += (low + first * step) * outStride;
    dstStrides.push(outStride * step);
    return count;
  });
  copyStrided(x.data, srcOff, inStrides, out.data, dstOff, dstStrides, box);
  return out;
};

export const evalConcat: EvalRule<'concat'> = (node, operands, ctx) => {
  const out = allocateResult(node, ctx);
  const axis = node.attrs.axis;
  const outStrides = stridesOf(node.type.shape);
  const axisStride = elementAt(outStrides, axis, 'concat result strides');
  let at = 0;
  for (const x of operands) {
    copyStrided(x.data, 0, stridesOf(x.type.shape), out.data, at * axisStride, outStrides, x.type.shape);
    at += elementAt(x.type.shape, axis, 'concat operand shape');
  }
  return out;
};
