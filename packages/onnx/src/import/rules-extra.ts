// Lowerings that need a small loop at import time: TopK (k rounds of argmax/argmin with masking,
// k static), MaxPool with dilations (the max over one strided slice per kernel offset), and
// BatchNormalization in training mode (batch statistics plus the updated running statistics).

import { elementAt, type ValueId } from '@kiln/ir';
import type { NodeCtx, OpRule } from './node-ctx.js';

function topK(c: NodeCtx): (ValueId | undefined)[] {
  const e = c.e;
  let x = c.input(0);
  const s = e.shape(x);
  const axis = e.axis(c.int('axis', -1), s.length);
  const k = c.opset >= 10 ? Math.trunc(c.staticScalar(1, 'K')) : c.intReq('k');
  const largest = c.int('largest', 1) !== 0;
  if (c.int('sorted', 1) === 0) throw c.unsupported('TopK sorted=0 (unspecified order)');
  const xf = e.cast(x, 'f32');
  x = xf;
  const fill = largest ? -Infinity : Infinity;
  const keep = s.map((d, i) => (i === axis ? 1 : d));
  const pos = e.b.add('iota', [], { dim: axis }, { type: { dtype: 'i32', shape: [...s] } });
  const vals: ValueId[] = [];
  const idxs: ValueId[] = [];
  for (let r = 0; r < k; r++) {
    const am = e.op(largest ? 'argmax' : 'argmin', [x], { axis });
    const amKeep = e.reshape(am, keep);
    const hit = e.op('eq', [pos, e.broadcastTo(amKeep, s)], {});
    const v = e.reduce(largest ? 'reduce_max' : 'reduce_min', e.select(hit, x, e.full(x, fill)), [axis], true);
    vals.push(v);
    idxs.push(amKeep);
    x = e.select(hit, e.full(x, fill), x);
  }
  const dtype = e.dtype(c.input(0));
  const values = vals.length === 1 ? vals[0] : e.op('concat', vals, { axis });
  const indices = idxs.length === 1 ? idxs[0] : e.op('concat', idxs, { axis });
  if (values === undefined || indices === undefined) throw c.unsupported('TopK with K=0');
  return [e.cast(values, dtype), indices];
}

/** A per-dim window entry (kernel, strides, dilations, output size) or dim: windowOf checked their lengths. */
const win = (xs: readonly number[], i: number): number => elementAt(xs, i, 'pool window entries (lengths checked by windowOf)');

function dilatedMaxPool(c: NodeCtx, x: ValueId, kernel: readonly number[], strides: readonly number[], dil: readonly number[], pads: readonly [number, number][]): ValueId {
  const e = c.e;
  const s = e.shape(x);
  const n = kernel.length;
  const padded = e.op('pad', [x], { low: [0, 0, ...pads.map((p) => p[0])], high: [0, 0, ...pads.map((p) => p[1])], interior: s.map(() => 0), value: -Infinity });
  const ps = e.shape(padded);
  const out = ps.slice(2).map((d, i) => Math.floor((d - (win(kernel, i) - 1) * win(dil, i) - 1) / win(strides, i)) + 1);
  let parts: ValueId[] = [];
  const total = kernel.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    const off = new Array<number>(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      off[i] = (rem % win(kernel, i)) * win(dil, i);
      rem = Math.floor(rem / win(kernel, i));
    }
    const start = [0, 0, ...off];
    const limit = [elementAt(ps, 0, 'padded NC.. shape'), elementAt(ps, 1, 'padded NC.. shape'), ...off.map((o, i) => o + (win(out, i) - 1) * win(strides, i) + 1)];
    const sl = e.op('slice', [padded], { start, limit, stride: [1, 1, ...strides] });
    parts.push(sl);
  }
  // A balanced tree of maxima keeps the fused expression shallow (a long chain overflows codegen's recursion).
  while (parts.length > 1) {
    const next: ValueId[] = [];
    for (let i = 0; i < parts.length; i += 2) {
      const a = parts[i];
      const b = parts[i + 1];
      if (a !== undefined) next.push(b === undefined ? a : e.op('max', [a, b], {}));
    }
    parts = next;
  }
  const acc = parts[0];
  if (acc === undefined) throw c.error('empty pooling kernel');
  return acc;
}

/** MaxPool with its Indices output: a running max over one strided slice per kernel offset, keeping the first maximum's flat index. */
function maxPoolWithIndices(
  c: NodeCtx,
  x: ValueId,
  kernel: readonly number[],
  strides: readonly number[],
  dil: readonly number[],
  pads: readonly [number, number][],
  columnMajor: boolean,
): [ValueId, ValueId] {
  const e = c.e;
  const s = e.shape(x);
  const n = kernel.length;
  const padded = e.op('pad', [x], { low: [0, 0, ...pads.map((p) => p[0])], high: [0, 0, ...pads.map((p) => p[1])], interior: s.map(() => 0), value: -Infinity });
  const ps = e.shape(padded);
  // Flat index into the unpadded input (spatial dims column-major when storage_order = 1).
  const it = (dim: number): ValueId => e.b.add('iota', [], { dim }, { type: { dtype: 'i32', shape: [...ps] } });
  const spatial = s.slice(2);
  const sp = spatial.reduce((a, b) => a * b, 1);
  let index = e.op('add', [e.withScalar('mul', it(0), elementAt(s, 1, 'pooled input shape') * sp), e.withScalar('mul', it(1), sp)], {});
  let stride = 1;
  const order = Array.from({ length: n }, (_, i) => (columnMajor ? i : n - 1 - i));
  for (const i of order) {
    index = e.op('add', [index, e.withScalar('mul', e.withScalar('sub', it(i + 2), elementAt(pads, i, 'window pads')[0]), stride)], {});
    stride *= win(spatial, i);
  }
  const out = ps.slice(2).map((d, i) => Math.floor((d - (win(kernel, i) - 1) * win(dil, i) - 1) / win(strides, i)) + 1);
  let best: ValueId | undefined;
  let bestIdx: ValueId | undefined;
  const total = kernel.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < total; flat++) {
    let rem = flat;
    const off = new Array<number>(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      off[i] = (rem % win(kernel, i)) * win(dil, i);
      rem = Math.floor(rem / win(kernel, i));
    }
    const attrs = {
      start: [0, 0, ...off],
      limit: [elementAt(ps, 0, 'padded NC.. shape'), elementAt(ps, 1, 'padded NC.. shape'), ...off.map((o, i) => o + (win(out, i) - 1) * win(strides, i) + 1)],
      stride: [1, 1, ...strides],
    };
    const v = e.op('slice', [padded], attrs);
    const vi = e.op('slice', [index], attrs);
    if (best === undefined || bestIdx === undefined) {
      best = v;
      bestIdx = vi;
      continue;
    }
    const better = e.op('gt', [v, best], {}); // strict: ties keep the first
    best = e.op('select', [better, v, best], {});
    bestIdx = e.op('select', [better, vi, bestIdx], {});
  }
  if (best === undefined || bestIdx === undefined) throw c.error('empty pooling kernel');
  return [best, bestIdx];
}

function bnTraining(c: NodeCtx): ValueId[] {
  const e = c.e;
  const x = c.input(0);
  const s = e.shape(x);
  const r = s.length;
  const axes = [0, ...Array.from({ length: r - 2 }, (_, i) => i + 2)];
  const ch = (v: ValueId): ValueId => e.reshape(v, [s[1] ?? 1, ...new Array<number>(r - 2).fill(1)]);
  const mean = e.mean(x, axes, true);
  const d = e.binary('sub', x, mean);
  const v = e.mean(e.op('mul', [d, d], {}), axes, true);
  const eps = c.float('epsilon', 1e-5);
  const y = e.binary('add', e.binary('mul', e.binary('mul', d, e.unary('rsqrt', e.withScalar('add', v, eps))), ch(c.input(1))), ch(c.input(2)));
  const m = c.float('momentum', 0.9);
  const flat = (t: ValueId): ValueId => e.reshape(t, [s[1] ?? 1]);
  const runMean = e.op('add', [e.withScalar('mul', c.input(3), m), e.withScalar('mul', flat(mean), 1 - m)], {});
  const runVar = e.op('add', [e.withScalar('mul', c.input(4), m), e.withScalar('mul', flat(v), 1 - m)], {});
  return [y, runMean, runVar];
}

export const extraRules: Readonly<Record<string, OpRule>> = {
  TopK: { attrs: ['axis', 'largest', 'sorted', 'k'], lower: topK },
};

export { dilatedMaxPool, bnTraining, maxPoolWithIndices };
