// CPU eval rules for reductions: reduce_sum/max/min over a set of axes and argmax/argmin along
// one axis. Float sums accumulate in f64 and round once; integer sums wrap like u32/i32 adds.

import type { DType } from '../dtype.js';
import { elementAt } from '../invariant.js';
import type { ReduceKind } from '../ops/index.js';
import { stridesOf, type TensorType } from '../shape.js';
import type { HostTensor } from './host-tensor.js';
import { allocateResult, arg, type EvalContext, type EvalRule } from './eval-rule.js';
import { forEachRow } from './strided.js';

export function reduceIdentity(kind: ReduceKind, dtype: DType): number {
  if (kind === 'sum') return 0;
  const max = kind === 'max';
  switch (dtype) {
    case 'f32':
    case 'bool':
      return max ? -Infinity : Infinity;
    case 'i32':
      return max ? -2147483648 : 2147483647;
    case 'u32':
      return max ? 0 : 4294967295;
    default: {
      const never: never = dtype;
      return never;
    }
  }
}

function reduceAxes(x: HostTensor, axes: readonly number[], type: TensorType, kind: ReduceKind, ctx: EvalContext): HostTensor {
  const out = allocateResult({ type }, ctx);
  // Floats accumulate in f64 (rounded once at the end); ints accumulate in the result array,
  // whose stores wrap exactly like 32-bit integer adds.
  const acc = type.dtype === 'f32' ? new Float64Array(out.data.length) : out.data;
  acc.fill(reduceIdentity(kind, type.dtype));
  const outStrides = stridesOf(type.shape);
  const mapped: number[] = [];
  let k = 0;
  for (let d = 0; d < x.type.shape.length; d++) mapped.push(axes.includes(d) ? 0 : elementAt(outStrides, k++, 'result strides'));
  const shape = x.type.shape;
  const last = shape.length - 1;
  const n = last < 0 ? 1 : elementAt(shape, last, 'operand shape');
  const os = last < 0 ? 0 : elementAt(mapped, last, 'mapped strides');
  const a = x.data;
  const combine = (start: number, b: number): void => {
    const end = start + n;
    switch (kind) {
      case 'sum':
        for (let i = start; i < end; i++, b += os) acc[b] = acc[b]! + a[i]!;
        return;
      case 'max':
        // NaN propagates, as with the registry's elementwise max.
        for (let i = start; i < end; i++, b += os) {
          const v = a[i]!;
          if (v > acc[b]! || v !== v) acc[b] = v;
        }
        return;
      case 'min':
        for (let i = start; i < end; i++, b += os) {
          const v = a[i]!;
          if (v < acc[b]! || v !== v) acc[b] = v;
        }
        return;
      default: {
        const never: never = kind;
        return never;
      }
    }
  };
  forEachRow(shape, stridesOf(shape), 0, mapped, 0, combine);
  if (acc !== out.data) out.data.set(acc);
  return out;
}

export const evalReduceSum: EvalRule<'reduce_sum'> = (node, operands, ctx) => reduceAxes(arg(operands, 0), node.attrs.axes, node.type, 'sum', ctx);
export const evalReduceMax: EvalRule<'reduce_max'> = (node, operands, ctx) => reduceAxes(arg(operands, 0), node.attrs.axes, node.type, 'max', ctx);
export const evalReduceMin: EvalRule<'reduce_min'> = (node, operands, ctx) => reduceAxes(arg(operands, 0), node.attrs.axes, node.type, 'min', ctx);

/**
 * Index of the first extreme along `axis`. A NaN counts as more extreme than any number (the
 * first NaN wins), matching reduce_max/reduce_min, which propagate NaN.
 */
function argExtreme(x: HostTensor, axis: number, type: TensorType, max: boolean, ctx: EvalContext): HostTensor {
  const out = allocateResult({ type }, ctx);
  const o = out.data;
  const shape = x.type.shape;
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= elementAt(shape, d, 'operand shape');
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= elementAt(shape, d, 'operand shape');
  const len = elementAt(shape, axis, 'operand shape');
  const a = x.data;
  const best = new Float64Array(inner);
  for (let q = 0; q < outer; q++) {
    const base = q * len * inner;
    const ob = q * inner;
    for (let p = 0; p < inner; p++) {
      best[p] = a[base + p]!;
      o[ob + p] = 0;
    }
    for (let j = 1; j < len; j++) {
      const row = base + j * inner;
      for (let p = 0; p < inner; p++) {
        const v = a[row + p]!;
        const b = best[p]!;
        if ((max ? v > b : v < b) || (v !== v && b === b)) {
          best[p] = v;
          o[ob + p] = j;
        }
      }
    }
  }
  return out;
}

export const evalArgmax: EvalRule<'argmax'> = (node, operands, ctx) => argExtreme(arg(operands, 0), node.attrs.axis, node.type, true, ctx);
export const evalArgmin: EvalRule<'argmin'> = (node, operands, ctx) => argExtreme(arg(operands, 0), node.attrs.axis, node.type, false, ctx);
