// Lowerings of ops whose result shape depends on data: Compress (its condition), NonZero and Unique
// (their input). Kiln shapes are static, so that data must be known at import time (an initializer,
// a constant, or a graph input bound with staticInputs); then Compress is a gather of the kept
// indices, and NonZero and Unique are constants computed on the host.

import { elementAt, numel } from '@kiln/ir';
import type { OpRule } from './node-ctx.js';

/** Lexicographic order of two equal-length number lists. */
function compareLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = elementAt(a, i, 'Unique slice') - elementAt(b, i, 'Unique slice');
    if (d !== 0) return d;
  }
  return 0;
}

export const dataShapedRules: Readonly<Record<string, OpRule>> = {
  Compress: {
    attrs: ['axis'],
    lower: (c) => {
      let x = c.input(0);
      const cond = c.static(1, 'condition');
      if (cond.dims.length !== 1) throw c.error(`condition must be 1-D, got rank ${cond.dims.length}`);
      if (!c.hasAttr('axis')) x = c.e.reshape(x, [numel(c.e.shape(x))]);
      const axis = c.e.axis(c.int('axis', 0), c.e.rank(x));
      const length = elementAt(c.e.shape(x), axis, 'Compress operand shape');
      if (cond.values.length > length) throw c.error(`condition has ${cond.values.length} entries for an axis of length ${length}`);
      const kept = cond.values.flatMap((v, i) => (v !== 0 ? [i] : []));
      if (kept.length === 0) throw c.unsupported('Compress keeping nothing (an empty result)');
      return [c.e.op('gather', [x, c.e.constant('i32', [kept.length], kept)], { axis })];
    },
  },
  Unique: {
    attrs: ['axis', 'sorted'],
    lower: (c) => {
      const x = c.static(0, 'input');
      if (numel(x.dims) !== x.values.length) throw c.error(`input has ${x.values.length} values for shape [${x.dims.join(',')}]`);
      if (x.values.some((v) => Number.isNaN(v))) throw c.unsupported('Unique of an input holding NaN');
      // The slices to deduplicate: elements of the flattened input, or sub-tensors along axis.
      const dims = c.hasAttr('axis') ? x.dims : [x.values.length];
      const axis = c.hasAttr('axis') ? c.e.axis(c.int('axis', 0), dims.length) : 0;
      const count = elementAt(dims, axis, 'Unique input shape');
      const inner = numel(dims.slice(axis + 1));
      const outer = numel(dims.slice(0, axis));
      const at = (o: number, k: number, i: number): number => elementAt(x.values, o * count * inner + k * inner + i, 'Unique input');
      const slice = (k: number): number[] => Array.from({ length: outer * inner }, (_, j) => at(Math.floor(j / inner), k, j % inner));
      const slices = Array.from({ length: count }, (_, k) => slice(k));
      const firsts: number[] = [];
      const inverseFirst = slices.map((sl, k) => {
        const seen = firsts.findIndex((f) => compareLists(elementAt(slices, f, 'Unique slices'), sl) === 0);
        if (seen >= 0) return seen;
        firsts.push(k);
        return firsts.length - 1;
      });
      const order = firsts.map((_, u) => u);
      if (c.int('sorted', 1) !== 0)
        order.sort((a, b) =>
          compareLists(elementAt(slices, elementAt(firsts, a, 'Unique firsts'), 'Unique slices'), elementAt(slices, elementAt(firsts, b, 'Unique firsts'), 'Unique slices')),
        );
      const rank = new Array<number>(order.length);
      order.forEach((u, r) => (rank[u] = r));
      const uniq = order.map((u) => elementAt(firsts, u, 'Unique firsts'));
      const n = uniq.length;
      // Y gathers the first occurrence of each unique slice, in output order (layout: dims with axis -> n).
      const yDims = dims.map((d, i) => (i === axis ? n : d));
      const yValues = Array.from({ length: numel(yDims) }, (_, j) => {
        const o = Math.floor(j / (n * inner));
        const u = Math.floor(j / inner) % n;
        return at(o, elementAt(uniq, u, 'Unique order'), j % inner);
      });
      const inverse = inverseFirst.map((u) => elementAt(rank, u, 'Unique rank'));
      const counts = uniq.map((_, r) => inverse.filter((v) => v === r).length);
      return [c.e.constant(x.dtype, yDims, yValues), c.e.constant('i32', [n], uniq), c.e.constant('i32', [count], inverse), c.e.constant('i32', [n], counts)];
    },
  },
  NonZero: {
    attrs: [],
    lower: (c) => {
      const x = c.static(0, 'input');
      if (numel(x.dims) !== x.values.length) throw c.error(`input has ${x.values.length} values for shape [${x.dims.join(',')}]`);
      const strides = x.dims.map((_, i) => numel(x.dims.slice(i + 1)));
      const hits = x.values.flatMap((v, i) => (v !== 0 ? [i] : []));
      if (hits.length === 0) throw c.unsupported('NonZero of an all-zero input (an empty result)');
      // Row d holds the d-th coordinate of every nonzero element, in row-major order.
      const coords = x.dims.flatMap((dim, d) => hits.map((flat) => Math.floor(flat / (strides[d] ?? 1)) % dim));
      return [c.e.constant('i32', [x.dims.length, hits.length], coords)];
    },
  },
};
