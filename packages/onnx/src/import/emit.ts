// Emitter: builds Kiln IR for one ONNX node on a GraphBuilder, with the NumPy-style helpers the
// lowerings share (broadcasting, casts, keepdims reductions, scalar constants). Kiln ops take
// operands of one shape, so every implicit ONNX broadcast becomes an explicit `broadcast` here.

import { KilnError, formatShape, numel, type AttrsOf, type DType, type GraphBuilder, type OpKind, type Shape, type TensorType, type ValueId } from '@kiln/ir';

/** Values of the `constant` nodes an emitter made, so shape results (Shape, Size) stay static. */
export type ConstantValues = Map<ValueId, { readonly dtype: DType; readonly dims: readonly number[]; readonly values: readonly number[] }>;

export class Emitter {
  constructor(
    readonly b: GraphBuilder,
    /** The ONNX node being lowered, for error messages. */
    readonly where: string,
    readonly constants: ConstantValues = new Map(),
  ) {}

  error(message: string): KilnError {
    return new KilnError({ op: this.where, message });
  }

  type(v: ValueId): TensorType {
    return this.b.typeOf(v);
  }
  shape(v: ValueId): Shape {
    return this.b.typeOf(v).shape;
  }
  dtype(v: ValueId): DType {
    return this.b.typeOf(v).dtype;
  }
  rank(v: ValueId): number {
    return this.b.typeOf(v).shape.length;
  }

  op<K extends OpKind>(op: K, operands: readonly ValueId[], attrs: AttrsOf<K>): ValueId {
    return this.b.add(op, operands, attrs);
  }

  constant(dtype: DType, shape: Shape, value: number | readonly number[]): ValueId {
    const id = this.b.add('constant', [], { value }, { type: { dtype, shape: [...shape] } });
    const n = numel(shape);
    if (n <= 4096) this.constants.set(id, { dtype, dims: [...shape], values: typeof value === 'number' ? new Array<number>(n).fill(value) : [...value] });
    return id;
  }
  /** A constant filled with `value`, of v's type (or v's shape with `dtype`). */
  full(v: ValueId, value: number, dtype: DType = this.dtype(v)): ValueId {
    return this.constant(dtype, this.shape(v), value);
  }
  scalar(dtype: DType, value: number): ValueId {
    return this.constant(dtype, [], value);
  }

  cast(v: ValueId, dtype: DType): ValueId {
    return this.dtype(v) === dtype ? v : this.op('cast', [v], { dtype });
  }
  reshape(v: ValueId, shape: Shape): ValueId {
    const s = this.shape(v);
    if (s.length === shape.length && s.every((d, i) => d === shape[i])) return v;
    if (numel(s) !== numel(shape)) throw this.error(`cannot reshape ${formatShape(s)} to ${formatShape(shape)}`);
    return this.op('reshape', [v], { shape: [...shape] });
  }
  transpose(v: ValueId, perm: readonly number[]): ValueId {
    if (perm.every((p, i) => p === i)) return v;
    return this.op('transpose', [v], { perm: [...perm] });
  }

  /** NumPy broadcast of two shapes. */
  broadcastShape(a: Shape, b: Shape): number[] {
    const r = Math.max(a.length, b.length);
    const out: number[] = [];
    for (let i = 0; i < r; i++) {
      const da = a[a.length - r + i] ?? 1;
      const db = b[b.length - r + i] ?? 1;
      if (da !== db && da !== 1 && db !== 1) throw this.error(`shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast`);
      out.push(da === 1 ? db : da);
    }
    return out;
  }

  /** v broadcast (trailing-aligned, NumPy rules) to `shape`. */
  broadcastTo(v: ValueId, shape: Shape): ValueId {
    const s = this.shape(v);
    if (s.length === shape.length && s.every((d, i) => d === shape[i])) return v;
    if (s.length > shape.length) throw this.error(`cannot broadcast ${formatShape(s)} to ${formatShape(shape)}`);
    const off = shape.length - s.length;
    s.forEach((d, i) => {
      if (d !== 1 && d !== shape[off + i]) throw this.error(`cannot broadcast ${formatShape(s)} to ${formatShape(shape)}`);
    });
    return this.op('broadcast', [v], { dims: s.map((_, i) => off + i), shape: [...shape] });
  }

  /** A binary elementwise op with NumPy broadcasting. */
  binary(op: 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or', a: ValueId, b: ValueId): ValueId {
    const shape = this.broadcastShape(this.shape(a), this.shape(b));
    return this.op(op, [this.broadcastTo(a, shape), this.broadcastTo(b, shape)], {});
  }
  /** Binary op against a scalar constant of a's dtype. */
  withScalar(op: 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', a: ValueId, value: number): ValueId {
    return this.op(op, [a, this.full(a, value)], {});
  }
  unary(
    op:
      'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'sin' | 'cos' | 'tanh' | 'logistic' | 'erf' | 'floor' | 'ceil' | 'round' | 'not' | 'stop_gradient',
    a: ValueId,
  ): ValueId {
    return this.op(op, [a], {});
  }
  select(p: ValueId, a: ValueId, b: ValueId): ValueId {
    const shape = this.broadcastShape(this.broadcastShape(this.shape(p), this.shape(a)), this.shape(b));
    return this.op('select', [this.broadcastTo(p, shape), this.broadcastTo(a, shape), this.broadcastTo(b, shape)], {});
  }

  /** reduce_sum/max/min over axes, optionally keeping them as size-1 dims. */
  reduce(kind: 'reduce_sum' | 'reduce_max' | 'reduce_min', v: ValueId, axes: readonly number[], keepdims: boolean): ValueId {
    const s = this.shape(v);
    const sorted = [...new Set(axes)].sort((x, y) => x - y);
    const r = sorted.length === 0 ? v : this.op(kind, [v], { axes: sorted });
    return keepdims
      ? this.reshape(
          r,
          s.map((d, i) => (sorted.includes(i) ? 1 : d)),
        )
      : r;
  }
  mean(v: ValueId, axes: readonly number[], keepdims: boolean): ValueId {
    const s = this.shape(v);
    const n = axes.reduce((acc, a) => acc * (s[a] ?? 1), 1);
    const sum = this.reduce('reduce_sum', v, axes, keepdims);
    return this.withScalar('div', sum, n);
  }

  /** Normalizes a possibly negative axis against rank r. */
  axis(a: number, r: number, what = 'axis'): number {
    const ax = a < 0 ? a + r : a;
    if (!Number.isInteger(ax) || ax < 0 || ax >= r) throw this.error(`${what} ${a} out of range for rank ${r}`);
    return ax;
  }
}
