// WGSL bodies for layout ops: each is an index remapping folded into its consumer's load
// (strided index arithmetic on the flat index `i`), never a copy. pad returns its fill value for
// positions that map to no operand element; concat picks the operand by the axis coordinate.

import { elementAt, stridesOf, type NodeOf } from '@kiln/ir';
import { broadcastStrides, coordOf, flatIndex, stridedIndex, transposeStrides } from '../index-math.js';
import { literal, u32Lit } from '../wgsl-types.js';
import type { ValueEmitter, WgslRule } from './rule.js';

function operand(node: { readonly operands: readonly number[] }, k = 0): number {
  const v = node.operands[k];
  if (v === undefined) throw new Error(`internal: missing operand #${k}`);
  return v;
}

function ret(expr: string): string {
  return `  return ${expr};`;
}

function padBody(node: NodeOf<'pad'>, em: ValueEmitter): string {
  const x = operand(node);
  const inShape = em.typeOf(x).shape;
  const outShape = node.type.shape;
  const fill = literal(node.type.dtype, node.attrs.value);
  const lines: string[] = [];
  const coords = inShape.map((size, d) => {
    const low = elementAt(node.attrs.low, d, 'pad low');
    const high = elementAt(node.attrs.high, d, 'pad high');
    const step = elementAt(node.attrs.interior, d, 'pad interior') + 1;
    const c = coordOf(outShape, d, 'i');
    if (low === 0 && high === 0 && step === 1) return c;
    lines.push(`  let p${d} = i32(${c}) - (${low}i);`);
    const holes = step > 1 ? ` || (p${d} % ${step}i) != 0i` : '';
    lines.push(`  if (p${d} < 0i${holes}) { return ${fill}; }`);
    const q = step > 1 ? `u32(p${d} / ${step}i)` : `u32(p${d})`;
    lines.push(`  let q${d} = ${q};`);
    lines.push(`  if (q${d} >= ${u32Lit(size)}) { return ${fill}; }`);
    return `q${d}`;
  });
  lines.push(ret(em.value(x, flatIndex(inShape, coords))));
  return lines.join('\n');
}

function concatBody(node: NodeOf<'concat'>, em: ValueEmitter): string {
  const axis = node.attrs.axis;
  const outShape = node.type.shape;
  const c = coordOf(outShape, axis, 'i');
  const lines = [`  let c = ${c};`];
  let at = 0;
  node.operands.forEach((v, k) => {
    const shape = em.typeOf(v).shape;
    const strides = stridesOf(shape);
    const size = elementAt(shape, axis, 'concat operand shape');
    const shift = at * elementAt(strides, axis, 'concat operand strides');
    let idx = stridedIndex(outShape, strides, 0, 'i');
    // u32 arithmetic wraps, so subtracting the operand's start along the axis is exact.
    if (shift !== 0) idx = `(${idx} - ${u32Lit(shift)})`;
    const last = k === node.operands.length - 1;
    if (size > 0) lines.push(last ? ret(em.value(v, idx)) : `  if (c < ${u32Lit(at + size)}) { return ${em.value(v, idx)}; }`);
    at += size;
  });
  if (!lines[lines.length - 1]!.startsWith('  return')) lines.push(ret(em.value(operand(node, node.operands.length - 1), '0u')));
  return lines.join('\n');
}

export const layoutRules = {
  reshape: { kind: 'layout', body: (n, em) => ret(em.value(operand(n), 'i')) } as WgslRule<'reshape'>,
  transpose: {
    kind: 'layout',
    body: (n, em) => {
      const x = operand(n);
      return ret(em.value(x, stridedIndex(n.type.shape, transposeStrides(em.typeOf(x).shape, n.attrs.perm), 0, 'i')));
    },
  } as WgslRule<'transpose'>,
  broadcast: {
    kind: 'layout',
    body: (n, em) => {
      const x = operand(n);
      const strides = broadcastStrides(em.typeOf(x).shape, n.attrs.dims, n.type.shape.length);
      return ret(em.value(x, stridedIndex(n.type.shape, strides, 0, 'i')));
    },
  } as WgslRule<'broadcast'>,
  slice: {
    kind: 'layout',
    body: (n, em) => {
      const x = operand(n);
      const inStrides = stridesOf(em.typeOf(x).shape);
      let offset = 0;
      const strides = inStrides.map((s, d) => {
        offset += elementAt(n.attrs.start, d, 'slice start') * s;
        return s * elementAt(n.attrs.stride, d, 'slice stride');
      });
      return ret(em.value(x, stridedIndex(n.type.shape, strides, offset, 'i')));
    },
  } as WgslRule<'slice'>,
  pad: { kind: 'layout', body: padBody } as WgslRule<'pad'>,
  concat: { kind: 'layout', body: concatBody } as WgslRule<'concat'>,
};
