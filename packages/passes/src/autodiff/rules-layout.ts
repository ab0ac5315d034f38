// Autodiff: VJP rules of the layout ops. Each is the transpose of an index remapping: reshape ↔
// reshape, transpose ↔ inverse transpose, broadcast ↔ reduce_sum, slice ↔ pad, pad ↔ slice, concat → slices.

import { elementAt, numel } from '@kiln/ir';
import { inversePerm } from './emitter.js';
import { operandOf, type VjpFn } from './rule.js';

type LayoutOp = 'reshape' | 'transpose' | 'broadcast' | 'slice' | 'pad' | 'concat';

export const layoutVjps: { [K in LayoutOp]: VjpFn<K> } = {
  reshape: ({ e, node, ct }) => [e.reshape(ct, e.shapeOf(operandOf(node, 0)))],
  transpose: ({ e, node, ct }) => [e.transpose(ct, inversePerm(node.attrs.perm))],
  /** Sum over the result dims the operand does not map to and over the dims it expanded from size 1. */
  broadcast: ({ e, node, ct }) => {
    const xShape = e.shapeOf(operandOf(node, 0));
    const { dims, shape } = node.attrs;
    const summed = shape
      .map((size, d) => {
        const i = dims.indexOf(d);
        return i < 0 || (xShape[i] === 1 && size !== 1) ? d : -1;
      })
      .filter((d) => d >= 0);
    // The dims left after the sum are exactly the operand's dims in order (expanded ones removed).
    return [e.reshape(e.reduceSum(ct, summed), xShape)];
  },
  /** A strided slice scatters back as a pad: `start` zeros before, stride-1 zeros between, the rest after. */
  slice: ({ e, node, ct }) => {
    const xShape = e.shapeOf(operandOf(node, 0));
    const { start, stride } = node.attrs;
    const outShape = node.type.shape;
    const high = xShape.map((size, d) => {
      const n = elementAt(outShape, d, 'slice result shape');
      const s = elementAt(start, d, 'slice start');
      const span = n > 0 ? (n - 1) * elementAt(stride, d, 'slice stride') + 1 : 0;
      return size - s - span;
    });
    return [
      e.pad(
        ct,
        start,
        high,
        stride.map((s) => s - 1),
      ),
    ];
  },
  /**
   * Operand element i sits at result position low + i·(interior+1). Negative low/high cropped some
   * operand elements away; their cotangent is zero, so the cotangent is first zero-padded by the
   * cropped amounts, after which a strided slice picks every operand position.
   */
  pad: ({ e, node, ct }) => {
    const xShape = e.shapeOf(operandOf(node, 0));
    const { low, high, interior } = node.attrs;
    const rank = xShape.length;
    const zeros = new Array<number>(rank).fill(0);
    const uncropped = e.pad(
      ct,
      low.map((l) => Math.max(-l, 0)),
      high.map((h) => Math.max(-h, 0)),
      zeros,
    );
    const start = low.map((l) => Math.max(l, 0));
    const step = interior.map((i) => i + 1);
    const limit = xShape.map((size, d) => elementAt(start, d, 'pad low') + (size > 0 ? (size - 1) * elementAt(step, d, 'pad interior') + 1 : 0));
    return [e.slice(uncropped, start, limit, step)];
  },
  concat: ({ e, node, ct, needs }) => {
    const { axis } = node.attrs;
    const ctShape = node.type.shape;
    let offset = 0;
    return node.operands.map((v, i) => {
      const shape = e.shapeOf(v);
      const size = elementAt(shape, axis, 'concat operand shape');
      const start = ctShape.map((_, d) => (d === axis ? offset : 0));
      const limit = ctShape.map((s, d) => (d === axis ? offset + size : s));
      offset += size;
      if (!needs[i]) return undefined;
      return numel(shape) === 0
        ? e.zerosLike(v)
        : e.slice(
            ct,
            start,
            limit,
            ctShape.map(() => 1),
          );
    });
  },
};
