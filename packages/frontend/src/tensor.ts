// Frontend: the symbolic Tensor users hold while tracing — an SSA value of the trace's graph with
// its type — and method chaining over the op functions (x.matmul(w).add(b).relu()).

import { KilnError, formatType, numel, type DType, type Shape, type TensorType, type ValueId } from '@kiln/ir';
import type { Axes } from './axes.js';
import { broadcastTo, type TensorLike } from './broadcast.js';
import * as ew from './elementwise.js';
import * as lay from './layout.js';
import { matmul } from './linalg.js';
import * as act from './activations.js';
import * as red from './reduce.js';
import type { TraceContext } from './trace-context.js';

/** A symbolic tensor: a typed SSA value of the graph being traced. Ops (`x.matmul(w).add(b).relu()`) record IR nodes; nothing is computed until the graph runs. */
export class Tensor {
  private readonly ownTrace: TraceContext | undefined;
  private readonly ownId: ValueId;

  /**
   * `trace` is undefined only for subclasses that resolve their trace and value per trace
   * (Variable: a persistent tensor bound into whichever trace uses it).
   */
  constructor(trace: TraceContext | undefined, id: ValueId, readonly type: TensorType) {
    this.ownTrace = trace;
    this.ownId = id;
  }

  /** The trace this value belongs to. */
  get trace(): TraceContext {
    if (this.ownTrace === undefined) throw new KilnError({ message: 'internal: a Tensor subclass without a trace must override `trace`' });
    return this.ownTrace;
  }

  /** The IR value id in the trace's graph. */
  get id(): ValueId {
    return this.ownId;
  }

  get shape(): Shape {
    return this.type.shape;
  }
  get dtype(): DType {
    return this.type.dtype;
  }
  get rank(): number {
    return this.type.shape.length;
  }
  get size(): number {
    return numel(this.type.shape);
  }
  toString(): string {
    return `Tensor(${this.trace.label(this.id)}: ${formatType(this.type)})`;
  }

  /** Gives the value a readable name in the printed IR. */
  named(name: string): this {
    this.trace.nameValue(this, name);
    return this;
  }

  add(o: TensorLike): Tensor { return ew.add(this, o); }
  sub(o: TensorLike): Tensor { return ew.sub(this, o); }
  mul(o: TensorLike): Tensor { return ew.mul(this, o); }
  div(o: TensorLike): Tensor { return ew.div(this, o); }
  pow(o: TensorLike): Tensor { return ew.pow(this, o); }
  maximum(o: TensorLike): Tensor { return ew.maximum(this, o); }
  minimum(o: TensorLike): Tensor { return ew.minimum(this, o); }
  clip(lo: TensorLike, hi: TensorLike): Tensor { return ew.clip(this, lo, hi); }
  neg(): Tensor { return ew.neg(this); }
  abs(): Tensor { return ew.abs(this); }
  sign(): Tensor { return ew.sign(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  log1p(): Tensor { return ew.log1p(this); }
  expm1(): Tensor { return ew.expm1(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  rsqrt(): Tensor { return ew.rsqrt(this); }
  square(): Tensor { return ew.square(this); }
  reciprocal(): Tensor { return ew.reciprocal(this); }
  sin(): Tensor { return ew.sin(this); }
  cos(): Tensor { return ew.cos(this); }
  tanh(): Tensor { return ew.tanh(this); }
  erf(): Tensor { return ew.erf(this); }
  floor(): Tensor { return ew.floor(this); }
  ceil(): Tensor { return ew.ceil(this); }
  round(): Tensor { return ew.round(this); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  relu(): Tensor { return act.relu(this); }
  leakyRelu(alpha = 0.01): Tensor { return act.leakyRelu(this, alpha); }
  gelu(approximate = false): Tensor { return act.gelu(this, approximate); }
  silu(): Tensor { return act.silu(this); }
  softplus(): Tensor { return act.softplus(this); }
  softmax(axis = -1): Tensor { return act.softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return act.logSoftmax(this, axis); }

  eq(o: TensorLike): Tensor { return ew.eq(this, o); }
  ne(o: TensorLike): Tensor { return ew.ne(this, o); }
  lt(o: TensorLike): Tensor { return ew.lt(this, o); }
  le(o: TensorLike): Tensor { return ew.le(this, o); }
  gt(o: TensorLike): Tensor { return ew.gt(this, o); }
  ge(o: TensorLike): Tensor { return ew.ge(this, o); }
  and(o: TensorLike): Tensor { return ew.logicalAnd(this, o); }
  or(o: TensorLike): Tensor { return ew.logicalOr(this, o); }
  not(): Tensor { return ew.logicalNot(this); }
  /** For a bool tensor: `this ? ifTrue : ifFalse` (broadcasting). */
  select(ifTrue: TensorLike, ifFalse: TensorLike): Tensor { return ew.where(this, ifTrue, ifFalse); }
  /** `cond ? this : other` (PyTorch's Tensor.where). */
  where(cond: TensorLike, other: TensorLike): Tensor { return ew.where(cond, this, other); }
  cast(dtype: DType): Tensor { return ew.cast(this, dtype); }
  stopGradient(): Tensor { return ew.stopGradient(this); }

  matmul(o: Tensor): Tensor { return matmul(this, o); }

  reshape(shape: Shape): Tensor { return lay.reshape(this, shape); }
  flatten(): Tensor { return lay.flatten(this); }
  transpose(perm?: readonly number[]): Tensor { return lay.transpose(this, perm); }
  /** All dims reversed (NumPy's .T). */
  get T(): Tensor { return lay.transpose(this); }
  /** The last two dims swapped. */
  get mT(): Tensor { return lay.matrixTranspose(this); }
  expandDims(axes: number | readonly number[]): Tensor { return lay.expandDims(this, axes); }
  squeeze(axes?: Axes): Tensor { return lay.squeeze(this, axes); }
  broadcastTo(shape: Shape): Tensor { return broadcastTo(this, shape); }
  at(...items: readonly lay.IndexItem[]): Tensor { return lay.at(this, ...items); }
  slice(starts: readonly (number | null)[], stops?: readonly (number | null)[], steps?: readonly (number | null)[]): Tensor {
    return lay.slice(this, starts, stops, steps);
  }
  sliceAxis(axis: number, start: number | null, stop: number | null, step = 1): Tensor { return lay.sliceAxis(this, axis, start, stop, step); }
  pad(widths: number | readonly (readonly [number, number])[], value = 0): Tensor { return lay.pad(this, widths, value); }
  gather(indices: Tensor | number | readonly number[], axis = 0): Tensor { return lay.gather(this, indices, axis); }
  split(sections: number | readonly number[], axis = 0): Tensor[] { return lay.split(this, sections, axis); }

  sum(axes?: Axes, keepdims = false): Tensor { return red.sum(this, axes, keepdims); }
  mean(axes?: Axes, keepdims = false): Tensor { return red.mean(this, axes, keepdims); }
  max(axes?: Axes, keepdims = false): Tensor { return red.max(this, axes, keepdims); }
  min(axes?: Axes, keepdims = false): Tensor { return red.min(this, axes, keepdims); }
  var(axes?: Axes, keepdims = false, ddof = 0): Tensor { return red.variance(this, axes, keepdims, ddof); }
  argmax(axis = -1, keepdims = false): Tensor { return red.argmax(this, axis, keepdims); }
  argmin(axis = -1, keepdims = false): Tensor { return red.argmin(this, axis, keepdims); }
  logsumexp(axes?: Axes, keepdims = false): Tensor { return red.logsumexp(this, axes, keepdims); }
}
