// Autodiff: a thin layer over GraphBuilder that VJP rules use to append IR. Helpers skip identity
// layout ops (reshape to the same shape, empty reductions, zero pads) so backward graphs stay lean.

import {
  elementAt,
  shapesEqual,
  type AttrsOf,
  type BinaryElementwiseOp,
  type DType,
  type GraphBuilder,
  type Node,
  type OpKind,
  type Shape,
  type SourceLoc,
  type TensorType,
  type ValueId,
} from '@kiln/ir';

type Unary = 'neg' | 'abs' | 'sign' | 'exp' | 'log' | 'sqrt' | 'sin' | 'cos' | 'not';

export class Emitter {
  constructor(
    readonly b: GraphBuilder,
    /** Source location of the forward node being differentiated; stamped on every emitted node. */
    readonly loc?: SourceLoc,
    /** Producers of the values defined before backprop started, for rules that inspect constants. */
    private readonly producers: ReadonlyMap<ValueId, Node> = new Map(),
  ) {}

  producerOf(v: ValueId): Node | undefined {
    return this.producers.get(v);
  }

  typeOf(v: ValueId): TensorType {
    return this.b.typeOf(v);
  }

  shapeOf(v: ValueId): Shape {
    return this.b.typeOf(v).shape;
  }

  node<K extends OpKind>(op: K, operands: readonly ValueId[], attrs: AttrsOf<K>, type?: TensorType): ValueId {
    return this.b.add(op, operands, attrs, {
      ...(type !== undefined ? { type } : {}),
      ...(this.loc !== undefined ? { loc: this.loc } : {}),
    });
  }

  /** A constant filled with `value` (or holding `values` row-major). */
  constant(value: number | readonly number[], type: TensorType): ValueId {
    return this.node('constant', [], { value }, { dtype: type.dtype, shape: [...type.shape] });
  }

  /** A constant with the type of `like` (or its shape and `dtype`) filled with `value`. */
  full(value: number, like: ValueId, dtype?: DType): ValueId {
    const t = this.typeOf(like);
    return this.constant(value, { dtype: dtype ?? t.dtype, shape: t.shape });
  }

  zerosLike(like: ValueId): ValueId {
    return this.full(0, like);
  }

  unary(op: Unary, x: ValueId): ValueId {
    return this.node(op, [x], {});
  }

  binary(op: BinaryElementwiseOp, a: ValueId, b: ValueId): ValueId {
    return this.node(op, [a, b], {});
  }

  neg(x: ValueId): ValueId {
    return this.unary('neg', x);
  }
  add(a: ValueId, b: ValueId): ValueId {
    return this.binary('add', a, b);
  }
  sub(a: ValueId, b: ValueId): ValueId {
    return this.binary('sub', a, b);
  }
  mul(a: ValueId, b: ValueId): ValueId {
    return this.binary('mul', a, b);
  }
  div(a: ValueId, b: ValueId): ValueId {
    return this.binary('div', a, b);
  }

  /** x * c for a number c. */
  scale(x: ValueId, c: number): ValueId {
    return this.mul(x, this.full(c, x));
  }

  /** x + c for a number c. */
  shift(x: ValueId, c: number): ValueId {
    return this.add(x, this.full(c, x));
  }

  select(p: ValueId, a: ValueId, b: ValueId): ValueId {
    return this.node('select', [p, a, b], {});
  }

  /** `a` where p holds, zero elsewhere. */
  where(p: ValueId, a: ValueId): ValueId {
    return this.select(p, a, this.zerosLike(a));
  }

  cast(x: ValueId, dtype: DType): ValueId {
    return this.typeOf(x).dtype === dtype ? x : this.node('cast', [x], { dtype });
  }

  /** Sums a non-empty list of same-typed values. */
  sum(parts: readonly ValueId[]): ValueId {
    const [first, ...rest] = parts;
    if (first === undefined) throw new Error('internal: sum of no values');
    return rest.reduce((acc, v) => this.add(acc, v), first);
  }

  /** Reshapes of reshapes collapse onto the original value (a no-op reshape returns it). */
  reshape(x: ValueId, shape: Shape): ValueId {
    const source = this.reshapeSourceOf(x);
    if (shapesEqual(this.shapeOf(source), shape)) return source;
    const id = this.node('reshape', [source], { shape: [...shape] });
    reshapeSources(this.b).set(id, source);
    return id;
  }

  /** A transpose that only moves size-1 dims keeps the row-major order, so it is emitted as a reshape. */
  transpose(x: ValueId, perm: readonly number[]): ValueId {
    if (perm.every((p, i) => p === i)) return x;
    const shape = this.shapeOf(x);
    const dim = (p: number): number => elementAt(shape, p, 'transpose operand shape');
    const moved = perm.filter((p) => dim(p) !== 1);
    if (moved.every((p, i) => i === 0 || p > moved[i - 1]!)) return this.reshape(x, perm.map(dim));
    return this.node('transpose', [x], { perm: [...perm] });
  }

  private reshapeSourceOf(x: ValueId): ValueId {
    const known = reshapeSources(this.b).get(x);
    if (known !== undefined) return known;
    const p = this.producers.get(x);
    return p?.op === 'reshape' && p.operands[0] !== undefined ? p.operands[0] : x;
  }

  broadcast(x: ValueId, dims: readonly number[], shape: Shape): ValueId {
    const s = this.shapeOf(x);
    const identity = s.length === shape.length && dims.every((d, i) => d === i) && shapesEqual(s, shape);
    return identity ? x : this.node('broadcast', [x], { dims: [...dims], shape: [...shape] });
  }

  reduceSum(x: ValueId, axes: readonly number[]): ValueId {
    return axes.length === 0 ? x : this.node('reduce_sum', [x], { axes: [...axes] });
  }

  slice(x: ValueId, start: readonly number[], limit: readonly number[], stride: readonly number[]): ValueId {
    const s = this.shapeOf(x);
    const identity = start.every((v) => v === 0) && limit.every((v, i) => v === s[i]) && stride.every((v) => v === 1);
    return identity ? x : this.node('slice', [x], { start: [...start], limit: [...limit], stride: [...stride] });
  }

  pad(x: ValueId, low: readonly number[], high: readonly number[], interior: readonly number[], value = 0): ValueId {
    const none = [...low, ...high, ...interior].every((v) => v === 0);
    return none ? x : this.node('pad', [x], { low: [...low], high: [...high], interior: [...interior], value });
  }

  concat(xs: readonly ValueId[], axis: number): ValueId {
    return xs.length === 1 && xs[0] !== undefined ? xs[0] : this.node('concat', xs, { axis });
  }

  matmul(a: ValueId, b: ValueId): ValueId {
    return this.node('matmul', [a, b], {});
  }

  /** Swaps the last two dims (matrix transpose of every batch entry). */
  transposeLast2(x: ValueId): ValueId {
    const r = this.shapeOf(x).length;
    const perm = Array.from({ length: r }, (_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
    return this.transpose(x, perm);
  }
}

const reshapeSourceTables = new WeakMap<GraphBuilder, Map<ValueId, ValueId>>();

/** For each reshape an Emitter appended to `b`: the value it reshapes (never itself a reshape). */
function reshapeSources(b: GraphBuilder): Map<ValueId, ValueId> {
  let m = reshapeSourceTables.get(b);
  if (m === undefined) {
    m = new Map();
    reshapeSourceTables.set(b, m);
  }
  return m;
}

/** Result dims that survive a reduction over `axes` of a rank-`rank` operand, in order. */
export function keptDims(rank: number, axes: readonly number[]): number[] {
  return Array.from({ length: rank }, (_, i) => i).filter((i) => !axes.includes(i));
}

export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length).fill(0);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}
