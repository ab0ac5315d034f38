// Registry entries for layout ops: pure index remappings (reshape, transpose, broadcast, slice,
// pad, concat). Fusion folds them into the loads of their consumers instead of copying.

import { fail } from '../errors.js';
import { formatShape, formatType, numel } from '../shape.js';
import { defineOp } from './def.js';
import { at, operand, requireAxis, requireLength, requirePositive, requireShape } from './checks.js';

export const layoutOps = {
  reshape: defineOp({
    attrs: { shape: 'ints' },
    arity: 1,
    fusion: 'layout',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      requireShape(a.shape, 'shape');
      if (numel(a.shape) !== numel(x.shape)) fail(`cannot reshape ${formatType(x)} (${numel(x.shape)} elements) to ${formatShape(a.shape)} (${numel(a.shape)} elements)`);
      return { dtype: x.dtype, shape: [...a.shape] };
    },
    doc: 'Same elements in row-major order, new shape.',
  }),
  transpose: defineOp({
    attrs: { perm: 'ints' },
    arity: 1,
    fusion: 'layout',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      requireLength(a.perm, x.shape.length, 'perm');
      const seen = new Set<number>();
      for (const p of a.perm) {
        requireAxis(p, x.shape.length, 'perm entry');
        if (seen.has(p)) fail(`perm [${a.perm.join(',')}] is not a permutation`);
        seen.add(p);
      }
      return { dtype: x.dtype, shape: a.perm.map((p) => at(x.shape, p, 'x.shape')) };
    },
    doc: 'Permute dimensions: result dim i is operand dim perm[i].',
  }),
  broadcast: defineOp({
    attrs: { dims: 'ints', shape: 'ints' },
    arity: 1,
    fusion: 'layout',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      requireShape(a.shape, 'shape');
      requireLength(a.dims, x.shape.length, 'dims');
      let prev = -1;
      a.dims.forEach((d, i) => {
        requireAxis(d, a.shape.length, 'dims entry');
        if (d <= prev) fail(`dims [${a.dims.join(',')}] must be strictly increasing`);
        prev = d;
        const src = at(x.shape, i, 'x.shape');
        const dst = at(a.shape, d, 'a.shape');
        if (src !== dst && src !== 1) fail(`operand dim ${i} (size ${src}) cannot broadcast to result dim ${d} (size ${dst}) of ${formatShape(a.shape)}`);
      });
      return { dtype: x.dtype, shape: [...a.shape] };
    },
    doc: 'Operand dim i maps to result dim dims[i] (size equal, or 1 to expand); other result dims repeat.',
  }),
  slice: defineOp({
    attrs: { start: 'ints', limit: 'ints', stride: 'ints' },
    arity: 1,
    fusion: 'layout',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      const r = x.shape.length;
      requireLength(a.start, r, 'start');
      requireLength(a.limit, r, 'limit');
      requireLength(a.stride, r, 'stride');
      requirePositive(a.stride, 'stride');
      const shape = x.shape.map((d, i) => {
        const s = at(a.start, i, 'a.start');
        const l = at(a.limit, i, 'a.limit');
        if (!(Number.isInteger(s) && Number.isInteger(l) && 0 <= s && s <= l && l <= d)) fail(`slice [${s}:${l}] out of range for dim ${i} of ${formatType(x)}`);
        return Math.ceil((l - s) / at(a.stride, i, 'a.stride'));
      });
      return { dtype: x.dtype, shape };
    },
    doc: 'Elements start[i], start[i]+stride[i], ... below limit[i] in each dim.',
  }),
  pad: defineOp({
    attrs: { low: 'ints', high: 'ints', interior: 'ints', value: 'float' },
    arity: 1,
    fusion: 'layout',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const x = operand(ops, 0);
      const r = x.shape.length;
      requireLength(a.low, r, 'low');
      requireLength(a.high, r, 'high');
      requireLength(a.interior, r, 'interior');
      const shape = x.shape.map((d, i) => {
        const lo = at(a.low, i, 'a.low');
        const hi = at(a.high, i, 'a.high');
        const inner = at(a.interior, i, 'a.interior');
        if (!Number.isInteger(lo) || !Number.isInteger(hi) || !Number.isInteger(inner) || inner < 0) fail(`pad amounts for dim ${i} must be integers with interior >= 0`);
        const size = lo + hi + d + Math.max(d - 1, 0) * inner;
        if (size < 0) fail(`negative padding crops dim ${i} of ${formatType(x)} below zero`);
        return size;
      });
      return { dtype: x.dtype, shape };
    },
    doc: 'Pad each dim with low/high edge elements (negative crops) and interior gaps, filled with value.',
  }),
  concat: defineOp({
    attrs: { axis: 'int' },
    arity: 'variadic',
    fusion: 'layout',
    typeFromAnnotation: false,
    infer: (ops, a) => {
      const first = operand(ops, 0);
      requireAxis(a.axis, first.shape.length, 'axis');
      let total = 0;
      ops.forEach((t, i) => {
        const sameElsewhere = t.shape.length === first.shape.length && t.shape.every((d, j) => j === a.axis || d === first.shape[j]);
        if (t.dtype !== first.dtype || !sameElsewhere) fail(`operand #${i} ${formatType(t)} does not match ${formatType(first)} outside axis ${a.axis}`);
        total += at(t.shape, a.axis, 't.shape');
      });
      const shape = [...first.shape];
      shape[a.axis] = total;
      return { dtype: first.dtype, shape };
    },
    doc: 'Join operands along axis.',
  }),
};
