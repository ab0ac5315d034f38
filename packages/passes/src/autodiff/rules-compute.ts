// Autodiff: VJP rules of reductions, batched matmul, gather and scatter_add (each other's transposes).

import { elementAt, type ValueId } from '@kiln/ir';
import { keptDims, type Emitter } from './emitter.js';
import { operandOf, type VjpFn } from './rule.js';

type ComputeOp = 'reduce_sum' | 'reduce_max' | 'reduce_min' | 'matmul' | 'gather' | 'scatter_add';

/**
 * reduce_max/min: the cotangent goes to the positions equal to the result, split evenly among ties
 * (so the total is preserved and the rule is symmetric; JAX does the same).
 */
const chooserReduceVjp: VjpFn<'reduce_max' | 'reduce_min'> = ({ e, node, ct }) => {
  const x = operandOf(node, 0);
  const xShape = e.shapeOf(x);
  const { axes } = node.attrs;
  const kept = keptDims(xShape.length, axes);
  const hit = e.binary('eq', x, e.broadcast(node.id, kept, xShape));
  const count = e.reduceSum(e.cast(hit, 'f32'), axes);
  return [e.where(hit, e.broadcast(e.div(ct, count), kept, xShape))];
};

export const computeVjps: { [K in ComputeOp]: VjpFn<K> } = {
  reduce_sum: ({ e, node, ct }) => {
    const xShape = e.shapeOf(operandOf(node, 0));
    return [e.broadcast(ct, keptDims(xShape.length, node.attrs.axes), xShape)];
  },
  reduce_max: chooserReduceVjp,
  reduce_min: chooserReduceVjp,
  matmul: ({ e, node, ct, needs }) => {
    const a = operandOf(node, 0);
    const b = operandOf(node, 1);
    return [needs[0] ? e.matmul(ct, e.transposeLast2(b)) : undefined, needs[1] ? e.matmul(e.transposeLast2(a), ct) : undefined];
  },
  /** gather clamps out-of-range indices, so its transpose scatters to the clamped positions. */
  gather: ({ e, node, ct }) => {
    const table = operandOf(node, 0);
    const { axis } = node.attrs;
    const size = elementAt(e.shapeOf(table), axis, 'gather table shape');
    const idx = clampIndices(e, operandOf(node, 1), size);
    return [e.node('scatter_add', [e.zerosLike(table), idx, ct], { axis }), undefined];
  },
  /** scatter_add drops out-of-range indices, so those updates get a zero cotangent. */
  scatter_add: ({ e, node, ct, needs }) => {
    const { axis } = node.attrs;
    const idx = operandOf(node, 1);
    let dUpdates: ValueId | undefined;
    if (needs[2]) {
      const size = elementAt(node.type.shape, axis, 'scatter_add result shape');
      const gathered = e.node('gather', [ct, idx], { axis });
      const inRange = inRangeMask(e, idx, size);
      if (inRange === undefined) dUpdates = gathered;
      else {
        const idxRank = e.shapeOf(idx).length;
        const dims = Array.from({ length: idxRank }, (_, i) => axis + i);
        dUpdates = e.where(e.broadcast(inRange, dims, e.shapeOf(gathered)), gathered);
      }
    }
    return [needs[0] ? ct : undefined, undefined, dUpdates];
  },
};

/** Indices clamped into [0, size), or the indices themselves when they are provably in range. */
function clampIndices(e: Emitter, idx: ValueId, size: number): ValueId {
  if (provablyInRange(e, idx, size)) return idx;
  const upper = e.binary('min', idx, e.full(Math.max(size - 1, 0), idx));
  return e.typeOf(idx).dtype === 'u32' ? upper : e.binary('max', upper, e.full(0, idx));
}

/** Bool mask of indices inside [0, size), or undefined when all provably are. */
function inRangeMask(e: Emitter, idx: ValueId, size: number): ValueId | undefined {
  if (provablyInRange(e, idx, size)) return undefined;
  const below = e.binary('lt', idx, e.full(size, idx));
  return e.typeOf(idx).dtype === 'u32' ? below : e.binary('and', below, e.binary('ge', idx, e.full(0, idx)));
}

/** Constant and iota indices are checked at compile time; anything else is not known. */
function provablyInRange(e: Emitter, idx: ValueId, size: number): boolean {
  const producer = e.producerOf(idx);
  if (producer === undefined) return false;
  if (producer.op === 'constant') {
    const v = producer.attrs.value;
    const values = typeof v === 'number' ? [v] : v;
    return values.every((x) => Number.isInteger(x) && x >= 0 && x < size);
  }
  if (producer.op === 'iota') return elementAt(producer.type.shape, producer.attrs.dim, 'iota shape') <= size;
  return false;
}
