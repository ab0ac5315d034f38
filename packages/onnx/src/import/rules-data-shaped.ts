// Lowerings of ops whose result shape depends on data: Compress (its condition) and NonZero (its
// input). Kiln shapes are static, so that data must be known at import time (an initializer, a
// constant, or a graph input bound with staticInputs); then Compress is a gather of the kept indices
// and NonZero a constant.

import { numel } from '@kiln/ir';
import type { OpRule } from './node-ctx.js';

export const dataShapedRules: Readonly<Record<string, OpRule>> = {
  Compress: { attrs: ['axis'], lower: (c) => {
    let x = c.input(0);
    const cond = c.static(1, 'condition');
    if (cond.dims.length !== 1) throw c.error(`condition must be 1-D, got rank ${cond.dims.length}`);
    if (!c.hasAttr('axis')) x = c.e.reshape(x, [numel(c.e.shape(x))]);
    const axis = c.e.axis(c.int('axis', 0), c.e.rank(x));
    const length = c.e.shape(x)[axis] ?? 0;
    if (cond.values.length > length) throw c.error(`condition has ${cond.values.length} entries for an axis of length ${length}`);
    const kept = cond.values.flatMap((v, i) => (v !== 0 ? [i] : []));
    if (kept.length === 0) throw c.unsupported('Compress keeping nothing (an empty result)');
    return [c.e.op('gather', [x, c.e.constant('i32', [kept.length], kept)], { axis })];
  } },
  NonZero: { attrs: [], lower: (c) => {
    const x = c.static(0, 'input');
    if (numel(x.dims) !== x.values.length) throw c.error(`input has ${x.values.length} values for shape [${x.dims.join(',')}]`);
    const strides = x.dims.map((_, i) => numel(x.dims.slice(i + 1)));
    const hits = x.values.flatMap((v, i) => (v !== 0 ? [i] : []));
    if (hits.length === 0) throw c.unsupported('NonZero of an all-zero input (an empty result)');
    // Row d holds the d-th coordinate of every nonzero element, in row-major order.
    const coords = x.dims.flatMap((dim, d) => hits.map((flat) => Math.floor(flat / (strides[d] ?? 1)) % dim));
    return [c.e.constant('i32', [x.dims.length, hits.length], coords)];
  } },
};
