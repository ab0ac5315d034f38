// Frontend: axis arguments as users write them (negative counts from the end, one or many, omitted
// = all) normalised to the IR's sorted non-negative axis lists, with errors naming the user's line.

import type { Axes, Tensor } from './tensor.js';

export type { Axes } from './tensor.js';

/** One axis in [-rank, rank) → [0, rank). */
export function normalizeAxis(x: Tensor, op: string, axis: number, rank = x.rank): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw x.trace.error(op, `axis ${axis} is out of range for rank ${rank}`, [x]);
  return axis < 0 ? axis + rank : axis;
}

/** Sorted unique non-negative axes; undefined means every axis. */
export function normalizeAxes(x: Tensor, op: string, axes: Axes): number[] {
  if (axes === undefined) return Array.from({ length: x.rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(x, op, a));
  if (new Set(out).size !== out.length) throw x.trace.error(op, `repeated axis in [${list.join(',')}]`, [x]);
  return out.sort((a, b) => a - b);
}
