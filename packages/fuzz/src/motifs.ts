// Fuzzer motifs: small multi-node patterns the passes look for (identities for simplify, duplicates
// for CSE, constant islands for folding, row softmax/layer-norm and matmul+bias+relu for fusion),
// mixed into random graphs so every rewrite gets exercised, correct or not.

import type { TensorType, ValueId } from '@kiln/ir';
import { isF32, type GenContext } from './gen-context.js';
import type { Gen } from './gen-elementwise.js';

function f32Value(c: GenContext, minRank = 0): ValueId {
  return c.value(
    (t) => isF32(t) && t.shape.length >= minRank,
    () => ({ dtype: 'f32', shape: c.shape({ minRank }) }),
  );
}

function numericValue(c: GenContext): ValueId {
  return c.value(
    (t) => t.dtype !== 'bool',
    () => ({ dtype: c.dtype(['f32', 'i32', 'u32']), shape: c.shape() }),
  );
}

function splat(c: GenContext, t: TensorType, value: number): ValueId {
  return c.node('constant', [], { value }, t);
}

const identities: readonly Gen[] = [
  (c) => {
    const x = numericValue(c);
    return c.node('neg', [c.node('neg', [x], {})], {});
  },
  (c) => {
    const x = numericValue(c);
    return c.node('mul', [x, splat(c, c.typeOf(x), 1)], {});
  },
  (c) => {
    const x = numericValue(c);
    const t = c.typeOf(x);
    return c.node('add', [splat(c, t, t.dtype === 'f32' ? c.rng.pick([0, -0]) : 0), x], {});
  },
  (c) => {
    const x = numericValue(c);
    const t = c.typeOf(x);
    return c.node('sub', [x, splat(c, t, t.dtype === 'f32' ? c.rng.pick([0, -0]) : 0)], {});
  },
  (c) => {
    const x = numericValue(c);
    return c.node(c.rng.pick(['mul', 'sub'] as const), c.rng.chance(0.5) ? [x, splat(c, c.typeOf(x), 0)] : [x, x], {});
  },
  (c) => {
    const x = f32Value(c);
    const t = c.typeOf(x);
    return c.node('div', [x, splat(c, t, c.rng.pick([1, 2, 0.25, -4, 3, 0, 2 ** 127, 2 ** -127]))], {});
  },
  (c) => {
    const x = f32Value(c);
    const t = c.typeOf(x);
    const n = t.shape.reduce((a, d) => a * d, 1);
    const values = Array.from({ length: n }, () => c.rng.pick([1, 2, 0.5, -8, 3]));
    return c.node('div', [x, c.node('constant', [], { value: values }, t)], {});
  },
  (c) => c.node('log', [c.node('exp', [c.node('tanh', [f32Value(c)], {})], {})], {}),
  (c) => {
    const x = c.value(
      () => true,
      () => ({ dtype: c.dtype(), shape: c.shape() }),
    );
    return c.node('cast', [x], { dtype: c.typeOf(x).dtype });
  },
  (c) => {
    const x = numericValue(c);
    return c.node(c.rng.pick(['max', 'min'] as const), [x, x], {});
  },
  (c) => {
    const x = c.value(
      () => true,
      () => ({ dtype: c.dtype(), shape: c.shape() }),
    );
    const t = c.typeOf(x);
    return c.node('select', [splat(c, { dtype: 'bool', shape: t.shape }, c.rng.int(0, 1)), x, c.like(t)], {});
  },
  (c) => {
    const x = f32Value(c);
    const r = c.typeOf(x).shape.length;
    const p = c.rng.shuffle(Array.from({ length: r }, (_, i) => i));
    const q = c.rng.shuffle(Array.from({ length: r }, (_, i) => i));
    return c.node('transpose', [c.node('transpose', [x], { perm: p })], { perm: q });
  },
  (c) => {
    const x = f32Value(c);
    const s = c.typeOf(x).shape;
    const n = s.reduce((a, d) => a * d, 1);
    const mid = n === 0 ? [0] : [n];
    return c.node('reshape', [c.node('reshape', [x], { shape: mid })], { shape: c.rng.chance(0.5) ? [...s] : [1, ...mid] });
  },
  (c) => {
    const x = c.value(
      (t) => t.shape.length <= 2,
      () => ({ dtype: 'f32', shape: c.shape({ maxRank: 2 }) }),
    );
    const s = c.typeOf(x).shape;
    const mid = [2, ...s.map((d) => (d === 1 ? 3 : d))];
    const inner = c.node('broadcast', [x], { dims: s.map((_, i) => i + 1), shape: mid });
    return c.node('broadcast', [inner], { dims: mid.map((_, i) => i + 1), shape: [3, ...mid] });
  },
  (c) => {
    const x = numericValue(c);
    const s = c.typeOf(x).shape;
    return c.node('slice', [x], { start: s.map(() => 0), limit: [...s], stride: s.map((d) => (d <= 1 ? c.rng.int(1, 2) : 1)) });
  },
  (c) => {
    const x = numericValue(c);
    const s = c.typeOf(x).shape;
    return c.node('pad', [x], { low: s.map(() => 0), high: s.map(() => 0), interior: s.map(() => 0), value: 0 });
  },
  (c) => {
    const x = numericValue(c);
    const s = c.typeOf(x).shape;
    const axes = s.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0);
    return c.node(c.rng.pick(['reduce_sum', 'reduce_max', 'reduce_min'] as const), [x], { axes });
  },
];

/** Two structurally equal nodes (CSE) or a constant-only island (folding). */
const redundancies: readonly Gen[] = [
  (c) => {
    const x = f32Value(c);
    const a = c.node('exp', [x], {});
    const b = c.node('exp', [x], {});
    return c.node('add', [a, b], {});
  },
  (c) => {
    const t: TensorType = { dtype: c.dtype(['f32', 'i32']), shape: c.shape() };
    const a = splat(c, t, c.constantValue(t.dtype));
    const b = c.node('constant', [], { value: c.constantValue(t.dtype) }, t);
    const s = c.node('add', [a, b], {});
    return c.node('mul', [s, c.node('neg', [a], {})], {});
  },
];

/** Row patterns (softmax, layer-norm style) and matmul + bias + relu, for fusion. */
const fusible: readonly Gen[] = [
  (c) => {
    const x = f32Value(c, 1);
    const s = c.typeOf(x).shape;
    const r = s.length;
    const lead = Array.from({ length: r - 1 }, (_, i) => i);
    const m = c.node(c.rng.pick(['reduce_max', 'reduce_sum'] as const), [x], { axes: [r - 1] });
    const back = c.rng.chance(0.5)
      ? c.node('broadcast', [m], { dims: lead, shape: [...s] })
      : c.node('broadcast', [c.node('reshape', [m], { shape: [...s.slice(0, -1), 1] })], { dims: [...lead, r - 1], shape: [...s] });
    const e = c.node('exp', [c.node('sub', [x, back], {})], {});
    if (c.rng.chance(0.3)) return e;
    const sum = c.node('reduce_sum', [e], { axes: [r - 1] });
    if (c.rng.chance(0.3)) return c.node('log', [c.positive(sum)], {});
    return c.node('div', [e, c.node('broadcast', [sum], { dims: lead, shape: [...s] })], {});
  },
  (c) => {
    const x = c.value(
      (t) => isF32(t) && t.shape.length === 2,
      () => ({ dtype: 'f32', shape: c.shape({ minRank: 2, maxRank: 2 }) }),
    );
    const [m, k] = c.typeOf(x).shape as [number, number];
    const n = c.dim();
    const w = c.like({ dtype: 'f32', shape: [k, n] });
    const b = c.like({ dtype: 'f32', shape: [n] });
    const y = c.node('add', [c.node('matmul', [x, w], {}), c.node('broadcast', [b], { dims: [1], shape: [m, n] })], {});
    return c.node('max', [y, splat(c, { dtype: 'f32', shape: [m, n] }, 0)], {});
  },
];

export const motifs: readonly Gen[] = [...identities, ...redundancies, ...fusible];
