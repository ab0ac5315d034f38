// Frontend: the symbolic Tensor users hold while tracing — an SSA value of the trace's graph with
// its type — and method chaining over the op functions (x.matmul(w).add(b).relu()). The methods
// call the op functions through a table (TensorOps) that tensor-methods.ts fills in, so this file
// imports none of the op modules that themselves build Tensors (no import circle).

import { KilnError, formatType, numel, type DType, type Shape, type TensorType, type ValueId } from '@kiln/ir';
import type { TraceContext } from './trace-context.js';

/** A tensor, or a JS number that becomes a constant of the other operand's dtype. */
export type TensorLike = Tensor | number;
/** Axis arguments as users write them: one axis, several, or undefined for all. */
export type Axes = number | readonly number[] | undefined;
/** A Python-style range for one dim: [start, stop, step], each optional; negatives count from the end. */
export type Range = readonly [start?: number | null, stop?: number | null, step?: number | null];
/** One indexing item: an index (drops the dim), a range, or null (the whole dim). */
export type IndexItem = number | Range | null;

type Binary = (a: Tensor, b: TensorLike) => Tensor;
type Unary = (x: Tensor) => Tensor;
type Reduction = (x: Tensor, axes?: Axes, keepdims?: boolean) => Tensor;
type ArgReduction = (x: Tensor, axis?: number, keepdims?: boolean) => Tensor;

/** The op functions behind Tensor's methods (one entry per function a method calls). */
export interface TensorOps {
  readonly add: Binary;
  readonly sub: Binary;
  readonly mul: Binary;
  readonly div: Binary;
  readonly pow: Binary;
  readonly maximum: Binary;
  readonly minimum: Binary;
  readonly eq: Binary;
  readonly ne: Binary;
  readonly lt: Binary;
  readonly le: Binary;
  readonly gt: Binary;
  readonly ge: Binary;
  readonly logicalAnd: Binary;
  readonly logicalOr: Binary;
  readonly neg: Unary;
  readonly abs: Unary;
  readonly sign: Unary;
  readonly exp: Unary;
  readonly log: Unary;
  readonly log1p: Unary;
  readonly expm1: Unary;
  readonly sqrt: Unary;
  readonly rsqrt: Unary;
  readonly square: Unary;
  readonly reciprocal: Unary;
  readonly sin: Unary;
  readonly cos: Unary;
  readonly tanh: Unary;
  readonly erf: Unary;
  readonly floor: Unary;
  readonly ceil: Unary;
  readonly round: Unary;
  readonly sigmoid: Unary;
  readonly logicalNot: Unary;
  readonly stopGradient: Unary;
  readonly relu: Unary;
  readonly silu: Unary;
  readonly softplus: Unary;
  readonly flatten: Unary;
  readonly matrixTranspose: Unary;
  readonly clip: (x: Tensor, lo: TensorLike, hi: TensorLike) => Tensor;
  readonly where: (cond: TensorLike, a: TensorLike, b: TensorLike) => Tensor;
  readonly cast: (x: Tensor, dtype: DType) => Tensor;
  readonly leakyRelu: (x: Tensor, alpha?: number) => Tensor;
  readonly gelu: (x: Tensor, approximate?: boolean) => Tensor;
  readonly softmax: (x: Tensor, axis?: number) => Tensor;
  readonly logSoftmax: (x: Tensor, axis?: number) => Tensor;
  readonly matmul: (a: Tensor, b: Tensor) => Tensor;
  readonly reshape: (x: Tensor, shape: Shape) => Tensor;
  readonly transpose: (x: Tensor, perm?: readonly number[]) => Tensor;
  readonly expandDims: (x: Tensor, axes: number | readonly number[]) => Tensor;
  readonly squeeze: (x: Tensor, axes?: Axes) => Tensor;
  readonly broadcastTo: (x: Tensor, shape: Shape) => Tensor;
  readonly at: (x: Tensor, ...items: readonly IndexItem[]) => Tensor;
  readonly slice: (x: Tensor, starts: readonly (number | null)[], stops?: readonly (number | null)[], steps?: readonly (number | null)[]) => Tensor;
  readonly sliceAxis: (x: Tensor, axis: number, start: number | null, stop: number | null, step?: number) => Tensor;
  readonly pad: (x: Tensor, widths: number | readonly (readonly [number, number])[], value?: number) => Tensor;
  readonly gather: (x: Tensor, indices: Tensor | number | readonly number[], axis?: number) => Tensor;
  readonly split: (x: Tensor, sections: number | readonly number[], axis?: number) => Tensor[];
  readonly sum: Reduction;
  readonly mean: Reduction;
  readonly max: Reduction;
  readonly min: Reduction;
  readonly logsumexp: Reduction;
  readonly variance: (x: Tensor, axes?: Axes, keepdims?: boolean, ddof?: number) => Tensor;
  readonly argmax: ArgReduction;
  readonly argmin: ArgReduction;
}

let installed: TensorOps | undefined;

/** Called once by tensor-methods.ts (imported wherever traces are opened) with the op functions. */
export function installTensorOps(table: TensorOps): void {
  installed = table;
}

function ops(): TensorOps {
  if (installed === undefined) throw new KilnError({ message: 'internal: Tensor methods used before tensor-methods.ts installed the op table' });
  return installed;
}

/** A symbolic tensor: a typed SSA value of the graph being traced. Ops (`x.matmul(w).add(b).relu()`) record IR nodes; nothing is computed until the graph runs. */
export class Tensor {
  private readonly ownTrace: TraceContext | undefined;
  private readonly ownId: ValueId;

  /**
   * `trace` is undefined only for subclasses that resolve their trace and value per trace
   * (Variable: a persistent tensor bound into whichever trace uses it).
   */
  constructor(
    trace: TraceContext | undefined,
    id: ValueId,
    readonly type: TensorType,
  ) {
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

  add(o: TensorLike): Tensor {
    return ops().add(this, o);
  }
  sub(o: TensorLike): Tensor {
    return ops().sub(this, o);
  }
  mul(o: TensorLike): Tensor {
    return ops().mul(this, o);
  }
  div(o: TensorLike): Tensor {
    return ops().div(this, o);
  }
  pow(o: TensorLike): Tensor {
    return ops().pow(this, o);
  }
  maximum(o: TensorLike): Tensor {
    return ops().maximum(this, o);
  }
  minimum(o: TensorLike): Tensor {
    return ops().minimum(this, o);
  }
  clip(lo: TensorLike, hi: TensorLike): Tensor {
    return ops().clip(this, lo, hi);
  }
  neg(): Tensor {
    return ops().neg(this);
  }
  abs(): Tensor {
    return ops().abs(this);
  }
  sign(): Tensor {
    return ops().sign(this);
  }
  exp(): Tensor {
    return ops().exp(this);
  }
  log(): Tensor {
    return ops().log(this);
  }
  log1p(): Tensor {
    return ops().log1p(this);
  }
  expm1(): Tensor {
    return ops().expm1(this);
  }
  sqrt(): Tensor {
    return ops().sqrt(this);
  }
  rsqrt(): Tensor {
    return ops().rsqrt(this);
  }
  square(): Tensor {
    return ops().square(this);
  }
  reciprocal(): Tensor {
    return ops().reciprocal(this);
  }
  sin(): Tensor {
    return ops().sin(this);
  }
  cos(): Tensor {
    return ops().cos(this);
  }
  tanh(): Tensor {
    return ops().tanh(this);
  }
  erf(): Tensor {
    return ops().erf(this);
  }
  floor(): Tensor {
    return ops().floor(this);
  }
  ceil(): Tensor {
    return ops().ceil(this);
  }
  round(): Tensor {
    return ops().round(this);
  }
  sigmoid(): Tensor {
    return ops().sigmoid(this);
  }
  relu(): Tensor {
    return ops().relu(this);
  }
  leakyRelu(alpha = 0.01): Tensor {
    return ops().leakyRelu(this, alpha);
  }
  gelu(approximate = false): Tensor {
    return ops().gelu(this, approximate);
  }
  silu(): Tensor {
    return ops().silu(this);
  }
  softplus(): Tensor {
    return ops().softplus(this);
  }
  softmax(axis = -1): Tensor {
    return ops().softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return ops().logSoftmax(this, axis);
  }

  eq(o: TensorLike): Tensor {
    return ops().eq(this, o);
  }
  ne(o: TensorLike): Tensor {
    return ops().ne(this, o);
  }
  lt(o: TensorLike): Tensor {
    return ops().lt(this, o);
  }
  le(o: TensorLike): Tensor {
    return ops().le(this, o);
  }
  gt(o: TensorLike): Tensor {
    return ops().gt(this, o);
  }
  ge(o: TensorLike): Tensor {
    return ops().ge(this, o);
  }
  and(o: TensorLike): Tensor {
    return ops().logicalAnd(this, o);
  }
  or(o: TensorLike): Tensor {
    return ops().logicalOr(this, o);
  }
  not(): Tensor {
    return ops().logicalNot(this);
  }
  /** For a bool tensor: `this ? ifTrue : ifFalse` (broadcasting). */
  select(ifTrue: TensorLike, ifFalse: TensorLike): Tensor {
    return ops().where(this, ifTrue, ifFalse);
  }
  /** `cond ? this : other` (PyTorch's Tensor.where). */
  where(cond: TensorLike, other: TensorLike): Tensor {
    return ops().where(cond, this, other);
  }
  cast(dtype: DType): Tensor {
    return ops().cast(this, dtype);
  }
  stopGradient(): Tensor {
    return ops().stopGradient(this);
  }

  matmul(o: Tensor): Tensor {
    return ops().matmul(this, o);
  }

  reshape(shape: Shape): Tensor {
    return ops().reshape(this, shape);
  }
  flatten(): Tensor {
    return ops().flatten(this);
  }
  transpose(perm?: readonly number[]): Tensor {
    return ops().transpose(this, perm);
  }
  /** All dims reversed (NumPy's .T). */
  get T(): Tensor {
    return ops().transpose(this);
  }
  /** The last two dims swapped. */
  get mT(): Tensor {
    return ops().matrixTranspose(this);
  }
  expandDims(axes: number | readonly number[]): Tensor {
    return ops().expandDims(this, axes);
  }
  squeeze(axes?: Axes): Tensor {
    return ops().squeeze(this, axes);
  }
  broadcastTo(shape: Shape): Tensor {
    return ops().broadcastTo(this, shape);
  }
  at(...items: readonly IndexItem[]): Tensor {
    return ops().at(this, ...items);
  }
  slice(starts: readonly (number | null)[], stops?: readonly (number | null)[], steps?: readonly (number | null)[]): Tensor {
    return ops().slice(this, starts, stops, steps);
  }
  sliceAxis(axis: number, start: number | null, stop: number | null, step = 1): Tensor {
    return ops().sliceAxis(this, axis, start, stop, step);
  }
  pad(widths: number | readonly (readonly [number, number])[], value = 0): Tensor {
    return ops().pad(this, widths, value);
  }
  gather(indices: Tensor | number | readonly number[], axis = 0): Tensor {
    return ops().gather(this, indices, axis);
  }
  split(sections: number | readonly number[], axis = 0): Tensor[] {
    return ops().split(this, sections, axis);
  }

  sum(axes?: Axes, keepdims = false): Tensor {
    return ops().sum(this, axes, keepdims);
  }
  mean(axes?: Axes, keepdims = false): Tensor {
    return ops().mean(this, axes, keepdims);
  }
  max(axes?: Axes, keepdims = false): Tensor {
    return ops().max(this, axes, keepdims);
  }
  min(axes?: Axes, keepdims = false): Tensor {
    return ops().min(this, axes, keepdims);
  }
  var(axes?: Axes, keepdims = false, ddof = 0): Tensor {
    return ops().variance(this, axes, keepdims, ddof);
  }
  argmax(axis = -1, keepdims = false): Tensor {
    return ops().argmax(this, axis, keepdims);
  }
  argmin(axis = -1, keepdims = false): Tensor {
    return ops().argmin(this, axis, keepdims);
  }
  logsumexp(axes?: Axes, keepdims = false): Tensor {
    return ops().logsumexp(this, axes, keepdims);
  }
}
