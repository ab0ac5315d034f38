// Cross-package gradcheck helpers: a few IR-level building blocks (explicit broadcasts, row
// reductions, softmax) over GraphBuilder, so composite models can be written directly in IR.

import { GraphBuilder, elementAt, lcgUniforms, type TensorType, type ValueId } from '@kiln/ir';

export const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
export const i32 = (...shape: number[]): TensorType => ({ dtype: 'i32', shape });

export class Ir {
  constructor(readonly b: GraphBuilder) {}

  shape(v: ValueId): readonly number[] {
    return this.b.typeOf(v).shape;
  }
  const(value: number | number[], shape: readonly number[]): ValueId {
    return this.b.add('constant', [], { value }, { type: f32(...shape) });
  }
  add(a: ValueId, c: ValueId): ValueId {
    return this.b.add('add', [a, c], {});
  }
  sub(a: ValueId, c: ValueId): ValueId {
    return this.b.add('sub', [a, c], {});
  }
  mul(a: ValueId, c: ValueId): ValueId {
    return this.b.add('mul', [a, c], {});
  }
  div(a: ValueId, c: ValueId): ValueId {
    return this.b.add('div', [a, c], {});
  }
  un(op: 'exp' | 'log' | 'tanh' | 'logistic' | 'rsqrt' | 'neg', x: ValueId): ValueId {
    return this.b.add(op, [x], {});
  }
  scale(x: ValueId, c: number): ValueId {
    return this.mul(x, this.const(c, this.shape(x)));
  }
  matmul(a: ValueId, c: ValueId): ValueId {
    return this.b.add('matmul', [a, c], {});
  }
  /** Broadcast a trailing-aligned operand (numpy rules for the dims it has) to `shape`. */
  to(x: ValueId, shape: readonly number[]): ValueId {
    const r = this.shape(x).length;
    const dims = Array.from({ length: r }, (_, i) => shape.length - r + i);
    return this.b.add('broadcast', [x], { dims, shape: [...shape] });
  }
  /** Reduce the last axis, keeping it as size 1 and broadcasting back, so it combines with x. */
  rowReduce(op: 'reduce_sum' | 'reduce_max', x: ValueId): ValueId {
    const s = this.shape(x);
    const r = this.b.add(op, [x], { axes: [s.length - 1] });
    const dims = Array.from({ length: s.length - 1 }, (_, i) => i);
    return this.b.add('broadcast', [r], { dims, shape: [...s] });
  }
  rowMean(x: ValueId): ValueId {
    const s = this.shape(x);
    return this.scale(this.rowReduce('reduce_sum', x), 1 / elementAt(s, s.length - 1, 'rowMean operand shape'));
  }
  softmax(x: ValueId): ValueId {
    const e = this.un('exp', this.sub(x, this.rowReduce('reduce_max', x)));
    return this.div(e, this.rowReduce('reduce_sum', e));
  }
  sumAll(x: ValueId): ValueId {
    return this.b.add('reduce_sum', [x], { axes: this.shape(x).map((_, i) => i) });
  }
  /** Σ x ⊙ w for fixed weights (mixed signs), a scalar loss that sees every element. */
  weighted(x: ValueId, seed: number): ValueId {
    const s = this.shape(x);
    const n = s.reduce((p, d) => p * d, 1);
    return this.sumAll(this.mul(x, this.const(randoms(n, seed, -1.5, 1.5), s)));
  }
  slice(x: ValueId, axis: number, from: number, to: number): ValueId {
    const s = this.shape(x);
    return this.b.add('slice', [x], {
      start: s.map((_, i) => (i === axis ? from : 0)),
      limit: s.map((d, i) => (i === axis ? to : d)),
      stride: s.map(() => 1),
    });
  }
}

/** Deterministic pseudo-random numbers in [lo, hi). */
export function randoms(n: number, seed: number, lo = -1, hi = 1): number[] {
  return lcgUniforms(n, seed, lo, hi, { scrambleSeed: true });
}
