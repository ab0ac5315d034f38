// CPU eval rules for gather (numpy take along one axis; out-of-range indices clamp) and its
// transpose scatter_add (updates summed into the operand; out-of-range indices are dropped).

import { elementAt } from '../invariant.js';
import { formatType, numel } from '../shape.js';
import type { HostTensor } from './host-tensor.js';
import { allocateResult, arg, type EvalRule } from './eval-rule.js';

/** Table viewed as [outer, axis, inner] around `axis`; indices flattened to `count`. */
function geometry(table: HostTensor, indices: HostTensor, axis: number): { outer: number; len: number; inner: number; count: number } {
  const shape = table.type.shape;
  return {
    outer: numel(shape.slice(0, axis)),
    len: elementAt(shape, axis, 'table shape'),
    inner: numel(shape.slice(axis + 1)),
    count: numel(indices.type.shape),
  };
}

export const evalGather: EvalRule<'gather'> = (node, operands, ctx) => {
  const table = arg(operands, 0);
  const indices = arg(operands, 1);
  const out = allocateResult(node, ctx);
  const { outer, len, inner, count } = geometry(table, indices, node.attrs.axis);
  if (len === 0 && out.data.length > 0) throw new Error(`cannot gather from empty axis ${node.attrs.axis} of ${formatType(table.type)}`);
  const t = table.data;
  const idx = indices.data;
  const o = out.data;
  for (let q = 0; q < outer; q++) {
    for (let j = 0; j < count; j++) {
      const raw = idx[j]!;
      const i = raw < 0 ? 0 : raw >= len ? len - 1 : raw;
      const from = (q * len + i) * inner;
      const to = (q * count + j) * inner;
      for (let p = 0; p < inner; p++) o[to + p] = t[from + p]!;
    }
  }
  return out;
};

export const evalScatterAdd: EvalRule<'scatter_add'> = (node, operands, ctx) => {
  const operand = arg(operands, 0);
  const indices = arg(operands, 1);
  const updates = arg(operands, 2);
  const out = allocateResult(node, ctx);
  const { outer, len, inner, count } = geometry(operand, indices, node.attrs.axis);
  // Floats sum in f64 and round once; integer stores wrap like 32-bit adds.
  const acc = node.type.dtype === 'f32' ? new Float64Array(out.data.length) : out.data;
  acc.set(operand.data);
  const idx = indices.data;
  const u = updates.data;
  for (let q = 0; q < outer; q++) {
    for (let j = 0; j < count; j++) {
      const i = idx[j]!;
      if (i < 0 || i >= len) continue;
      const to = (q * len + i) * inner;
      const from = (q * count + j) * inner;
      for (let p = 0; p < inner; p++) acc[to + p] = acc[to + p]! + u[from + p]!;
    }
  }
  if (acc !== out.data) out.data.set(acc);
  return out;
};
