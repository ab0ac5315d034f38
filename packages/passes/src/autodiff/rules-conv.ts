// Autodiff: the VJP of N-d conv (stride, padding, lhs/rhs dilation, feature groups), as two convs.
// Input grad: the cotangent convolved with the spatially flipped, in/out-swapped kernel, using
// lhs_dilation = stride and stride = lhs_dilation. Kernel grad: a conv in which the batch and the
// channels swap roles (input channels become the batch, the batch becomes the contracted feature).

import { elementAt, numel, type AttrsOf, type ValueId } from '@kiln/ir';
import type { Emitter } from './emitter.js';
import { operandOf, type VjpFn } from './rule.js';

type ConvAttrs = AttrsOf<'conv'>;

const range = (n: number, from = 0): number[] => Array.from({ length: n }, (_, i) => from + i);
const dilated = (size: number, dilation: number): number => (size === 0 ? 0 : (size - 1) * dilation + 1);

export const convVjp: VjpFn<'conv'> = ({ e, node, ct, needs }) => {
  const x = operandOf(node, 0);
  const w = operandOf(node, 1);
  if (numel(e.shapeOf(ct)) === 0) return [needs[0] ? e.zerosLike(x) : undefined, needs[1] ? e.zerosLike(w) : undefined];
  return [needs[0] ? inputGrad(e, node.attrs, x, w, ct) : undefined, needs[1] ? kernelGrad(e, node.attrs, x, w, ct) : undefined];
};

function inputGrad(e: Emitter, a: ConvAttrs, x: ValueId, w: ValueId, ct: ValueId): ValueId {
  const xShape = e.shapeOf(x);
  const wShape = e.shapeOf(w);
  const sp = xShape.length - 2;
  const window = wShape.slice(0, sp);
  const cg = elementAt(wShape, sp, 'conv kernel shape');
  const o = elementAt(wShape, sp + 1, 'conv kernel shape');
  const g = a.groups;
  // Per group the kernel maps Og cotangent channels to Cg input channels: [*K,Cg,G·Og] → [*K,Og,G·Cg].
  const flipped = flipSpatial(e, w, sp);
  const swapped =
    g === 1
      ? e.transpose(flipped, [...range(sp), sp + 1, sp])
      : e.reshape(e.transpose(e.reshape(flipped, [...window, cg, g, o / g]), [...range(sp), sp + 2, sp + 1, sp]), [...window, o / g, g * cg]);
  const padding = window.map((k, d): [number, number] => {
    const inDil = dilated(elementAt(xShape, d + 1, 'conv operand shape'), elementAt(a.lhs_dilation, d, 'conv lhs_dilation'));
    const kDil = dilated(k, elementAt(a.rhs_dilation, d, 'conv rhs_dilation'));
    const outDil = dilated(elementAt(e.shapeOf(ct), d + 1, 'conv cotangent shape'), elementAt(a.stride, d, 'conv stride'));
    const lo = kDil - 1 - elementAt(a.padding, d, 'conv padding')[0];
    return [lo, inDil + kDil - 1 - outDil - lo];
  });
  return convAnyPadding(e, ct, swapped, { stride: a.lhs_dilation, padding, lhs_dilation: a.stride, rhs_dilation: a.rhs_dilation, groups: g });
}

function kernelGrad(e: Emitter, a: ConvAttrs, x: ValueId, w: ValueId, ct: ValueId): ValueId {
  const xShape = e.shapeOf(x);
  const wShape = e.shapeOf(w);
  const sp = xShape.length - 2;
  const n = elementAt(xShape, 0, 'conv operand shape');
  const spatial = xShape.slice(1, 1 + sp);
  const window = wShape.slice(0, sp);
  const cg = elementAt(wShape, sp, 'conv kernel shape');
  const g = a.groups;
  // x [N,*S,G·Cg] → [Cg,*S,G·N]: in-group channel as batch, (group, sample) as feature, so a
  // feature-grouped conv pairs each kernel output channel only with its own group's inputs.
  const lhs = e.reshape(e.transpose(e.reshape(x, [n, ...spatial, g, cg]), [sp + 2, ...range(sp, 1), sp + 1, 0]), [cg, ...spatial, g * n]);
  // ct [N,*O,G·Og] → [*O,N,G·Og]: output positions are the window, the batch is contracted.
  const rhs = e.transpose(ct, [...range(sp, 1), 0, sp + 1]);
  const full = convAnyPadding(e, lhs, rhs, {
    stride: a.rhs_dilation,
    padding: a.padding,
    lhs_dilation: a.lhs_dilation,
    rhs_dilation: a.stride,
    groups: g,
  });
  // Leftover rows of a strided forward sweep can add trailing taps beyond the kernel: drop them.
  const fullShape = e.shapeOf(full);
  const cropped = e.slice(
    full,
    fullShape.map(() => 0),
    fullShape.map((s, d) => (d >= 1 && d <= sp ? elementAt(window, d - 1, 'conv window') : s)),
    fullShape.map(() => 1),
  );
  return e.transpose(cropped, [...range(sp, 1), 0, sp + 1]);
}

/** Reverses every spatial (window) dim of a kernel with a constant-index gather. */
function flipSpatial(e: Emitter, w: ValueId, sp: number): ValueId {
  let v = w;
  for (let d = 0; d < sp; d++) {
    const k = elementAt(e.shapeOf(v), d, 'conv kernel shape');
    if (k <= 1) continue;
    const reversed = e.constant(
      range(k).map((i) => k - 1 - i),
      { dtype: 'i32', shape: [k] },
    );
    v = e.node('gather', [v, reversed], { axis: d });
  }
  return v;
}

/**
 * A conv whose padding may be negative in some dims. Those dims get their dilation and padding
 * from an explicit `pad` (which crops on negative amounts) so the conv itself keeps padding >= 0.
 */
export function convAnyPadding(e: Emitter, lhs: ValueId, rhs: ValueId, a: ConvAttrs): ValueId {
  const sp = e.shapeOf(lhs).length - 2;
  const explicit = range(sp).filter((d) => elementAt(a.padding, d, 'conv padding').some((p) => p < 0));
  if (explicit.length === 0) return e.node('conv', [lhs, rhs], a);
  const low = new Array<number>(sp + 2).fill(0);
  const high = new Array<number>(sp + 2).fill(0);
  const interior = new Array<number>(sp + 2).fill(0);
  const padding = a.padding.map((p): [number, number] => [p[0], p[1]]);
  const lhsDilation = [...a.lhs_dilation];
  for (const d of explicit) {
    const [lo, hi] = elementAt(padding, d, 'conv padding');
    low[d + 1] = lo;
    high[d + 1] = hi;
    interior[d + 1] = elementAt(lhsDilation, d, 'conv lhs_dilation') - 1;
    padding[d] = [0, 0];
    lhsDilation[d] = 1;
  }
  const padded = e.pad(lhs, low, high, interior);
  return e.node('conv', [padded, rhs], { ...a, padding, lhs_dilation: lhsDilation });
}
