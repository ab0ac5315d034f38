// Frontend: layout ops — reshape (with -1), transpose, expand/squeeze, slicing and indexing, pad,
// concat/stack/split, gather. Identity cases emit nothing and return the operand itself.

import { elementAt, formatShape, numel, shapesEqual, type Shape } from '@kiln/ir';
import { normalizeAxes, normalizeAxis, type Axes } from './axes.js';
import { traceOf } from './broadcast.js';
import { Tensor, type IndexItem, type Range } from './tensor.js';
import { dimOf } from './dims.js';

export function reshape(x: Tensor, shape: Shape): Tensor {
  const ctx = x.trace;
  const holes = shape.filter((d) => d === -1).length;
  if (holes > 1 || shape.some((d) => !Number.isInteger(d) || d < -1))
    throw ctx.error('reshape', `invalid target shape ${formatShape(shape)} (non-negative dims and at most one -1)`, [x]);
  const known = numel(shape.filter((d) => d !== -1));
  let target = [...shape];
  if (holes === 1) {
    if (known === 0 || x.size % known !== 0) throw ctx.error('reshape', `cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`, [x]);
    target = shape.map((d) => (d === -1 ? x.size / known : d));
  }
  if (numel(target) !== x.size) throw ctx.error('reshape', `cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)} (${numel(target)} elements)`, [x]);
  return shapesEqual(target, x.shape) ? x : ctx.emit('reshape', [x], { shape: target });
}

export const flatten = (x: Tensor): Tensor => reshape(x, [x.size]);

/** Permutes dims (default: reversed, as NumPy). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm === undefined ? x.shape.map((_, i) => x.rank - 1 - i) : perm.map((a) => normalizeAxis(x, 'transpose', a));
  if (p.length !== x.rank || new Set(p).size !== p.length) throw x.trace.error('transpose', `[${(perm ?? []).join(',')}] is not a permutation of ${x.rank} dims`, [x]);
  return p.every((a, i) => a === i) ? x : x.trace.emit('transpose', [x], { perm: p });
}

/** Swaps the last two dims. */
export function matrixTranspose(x: Tensor): Tensor {
  if (x.rank < 2) throw x.trace.error('mT', `needs rank >= 2, got rank ${x.rank}`, [x]);
  const p = x.shape.map((_, i) => i);
  p[x.rank - 2] = x.rank - 1;
  p[x.rank - 1] = x.rank - 2;
  return transpose(x, p);
}

/** Inserts size-1 dims so that they sit at `axes` of the result. */
export function expandDims(x: Tensor, axes: number | readonly number[]): Tensor {
  const list = typeof axes === 'number' ? [axes] : axes;
  const rank = x.rank + list.length;
  const at = list.map((a) => normalizeAxis(x, 'expandDims', a, rank));
  if (new Set(at).size !== at.length) throw x.trace.error('expandDims', `repeated axis in [${list.join(',')}]`, [x]);
  const shape: number[] = [];
  let src = 0;
  for (let i = 0; i < rank; i++) shape.push(at.includes(i) ? 1 : elementAt(x.shape, src++, 'expandDims input shape (one source dim per free position)'));
  return reshape(x, shape);
}

/** Removes size-1 dims (all of them, or those at `axes`, which must have size 1). */
export function squeeze(x: Tensor, axes?: Axes): Tensor {
  const drop = axes === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(x, 'squeeze', axes);
  for (const a of drop) if (x.shape[a] !== 1) throw x.trace.error('squeeze', `dim ${a} has size ${x.shape[a]}, not 1`, [x]);
  return reshape(
    x,
    x.shape.filter((_, i) => !drop.includes(i)),
  );
}

export type { Range, IndexItem } from './tensor.js';

function resolveRange(x: Tensor, op: string, dim: number, r: Range): [number, number, number] {
  const n = dimOf(x, dim, op);
  const step = r[2] ?? 1;
  if (!Number.isInteger(step) || step < 1) throw x.trace.error(op, `step ${step} for dim ${dim} must be a positive integer`, [x]);
  const clampIdx = (v: number | null | undefined, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    if (!Number.isInteger(v)) throw x.trace.error(op, `index ${v} for dim ${dim} is not an integer`, [x]);
    return v < 0 ? Math.max(0, v + n) : Math.min(v, n);
  };
  const start = clampIdx(r[0], 0);
  const stop = Math.max(start, clampIdx(r[1], n));
  return [start, stop, step];
}

/** Strided slice with Python semantics per dim; dims beyond the given lists are kept whole. */
export function slice(x: Tensor, starts: readonly (number | null)[], stops: readonly (number | null)[] = [], steps: readonly (number | null)[] = []): Tensor {
  if (starts.length > x.rank || stops.length > x.rank || steps.length > x.rank) throw x.trace.error('slice', `more slice entries than the rank ${x.rank}`, [x]);
  return at(x, ...x.shape.map((_, d): IndexItem => [starts[d] ?? null, stops[d] ?? null, steps[d] ?? null]));
}

/** `x[start:stop:step]` along one axis. */
export function sliceAxis(x: Tensor, axis: number, start: number | null, stop: number | null, step = 1): Tensor {
  const a = normalizeAxis(x, 'sliceAxis', axis);
  return at(x, ...x.shape.map((_, d): IndexItem => (d === a ? [start, stop, step] : null)));
}

/** NumPy basic indexing: `x.at(0, [1, null], null)` is `x[0, 1:, :]`; missing trailing items are whole dims. */
export function at(x: Tensor, ...items: readonly IndexItem[]): Tensor {
  if (items.length > x.rank) throw x.trace.error('at', `${items.length} indices for rank ${x.rank}`, [x]);
  const start: number[] = [];
  const limit: number[] = [];
  const stride: number[] = [];
  const keep: number[] = [];
  x.shape.forEach((n, d) => {
    const item = items[d] ?? null;
    // Untyped callers could pass a Tensor here; a static slice cannot take one, so say where to go.
    if (item !== null && typeof item !== 'number' && !Array.isArray(item))
      throw x.trace.error('at', `index ${d} must be a number, a [start, stop, step] range or null, got ${String(item)}; to index with a tensor use gather(x, indices, axis)`, [x]);
    if (typeof item === 'number') {
      if (!Number.isInteger(item) || item < -n || item >= n) throw x.trace.error('at', `index ${item} is out of range for dim ${d} (size ${n})`, [x]);
      const i = item < 0 ? item + n : item;
      start.push(i);
      limit.push(i + 1);
      stride.push(1);
      return;
    }
    const [s, l, st] = resolveRange(x, 'at', d, item ?? []);
    start.push(s);
    limit.push(l);
    stride.push(st);
    keep.push(Math.ceil((l - s) / st));
  });
  const whole = start.every((s) => s === 0) && limit.every((l, d) => l === x.shape[d]) && stride.every((s) => s === 1);
  const sliced = whole ? x : x.trace.emit('slice', [x], { start, limit, stride });
  return reshape(sliced, keep);
}

/** Pads with `value`: `widths` is one number for every side, or [low, high] per dim (negative crops). */
export function pad(x: Tensor, widths: number | readonly (readonly [number, number])[], value = 0): Tensor {
  const w = typeof widths === 'number' ? x.shape.map((): [number, number] => [widths, widths]) : widths;
  if (w.length !== x.rank) throw x.trace.error('pad', `needs one [low, high] pair per dim (${x.rank}), got ${w.length}`, [x]);
  const low = w.map((p) => p[0]);
  const high = w.map((p) => p[1]);
  if ([...low, ...high].every((v) => v === 0)) return x;
  return x.trace.emit('pad', [x], { low, high, interior: low.map(() => 0), value });
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (first === undefined) throw traceOf('concat', []).error('concat', 'needs at least one tensor');
  if (xs.length === 1) return first;
  return first.trace.emit('concat', xs, { axis: normalizeAxis(first, 'concat', axis) });
}

/** Joins along a new axis. */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  const first = xs[0];
  if (first === undefined) throw traceOf('stack', []).error('stack', 'needs at least one tensor');
  const a = normalizeAxis(first, 'stack', axis, first.rank + 1);
  return concat(
    xs.map((t) => expandDims(t, a)),
    a,
  );
}

/** Splits into `sections` equal parts, or into parts of the given sizes, along `axis`. */
export function split(x: Tensor, sections: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis(x, 'split', axis);
  const n = elementAt(x.shape, a, 'shape');
  let sizes: readonly number[];
  if (typeof sections === 'number') {
    if (!Number.isInteger(sections) || sections < 1 || n % sections !== 0) throw x.trace.error('split', `dim ${a} of size ${n} does not split into ${sections} equal parts`, [x]);
    sizes = new Array<number>(sections).fill(n / sections);
  } else sizes = sections;
  if (sizes.reduce((s, v) => s + v, 0) !== n || sizes.some((v) => !Number.isInteger(v) || v < 0))
    throw x.trace.error('split', `sizes [${sizes.join(',')}] do not add up to dim ${a} of size ${n}`, [x]);
  let offset = 0;
  return sizes.map((size) => {
    const part = sliceAxis(x, a, offset, offset + size);
    offset += size;
    return part;
  });
}

/** NumPy `take`: indices (an int tensor, a number, or a list of numbers) select along `axis`. */
export function gather(x: Tensor, indices: Tensor | number | readonly number[], axis = 0): Tensor {
  const ctx = x.trace;
  const a = normalizeAxis(x, 'gather', axis);
  const idx =
    indices instanceof Tensor
      ? indices
      : typeof indices === 'number'
        ? ctx.constant(indices, { dtype: 'i32', shape: [] })
        : ctx.constant([...indices], { dtype: 'i32', shape: [indices.length] });
  if (idx.dtype !== 'i32' && idx.dtype !== 'u32') throw ctx.error('gather', `indices must be i32 or u32, got ${idx.dtype}`, [x, idx]);
  ctx.requireIndexRange(idx, x.shape[a]!, 'gather', 'index');
  return ctx.emit('gather', [x, idx], { axis: a });
}
