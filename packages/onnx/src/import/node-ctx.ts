// What a lowering sees of one ONNX node: its operands as Kiln values, static (compile-time) values
// for inputs that must be constant in Kiln's static-shape world, typed attribute getters that
// reject wrong kinds, and the opset version that decides which ONNX semantics apply.

import { KilnError, type DType, type ValueId } from '@kiln/ir';
import type { OnnxAttrValue, OnnxNode, OnnxTensorProto } from '../model.js';
import type { Emitter } from './emit.js';

/** A value known at import time (initializer, Constant, Shape, or folded from such). */
export interface StaticTensor {
  readonly dims: readonly number[];
  readonly values: readonly number[];
  readonly dtype: DType;
}

/** Thrown when a graph input is used where Kiln needs a constant (a Reshape's shape, say). */
export class NeedsStaticInput extends KilnError {
  constructor(
    readonly input: string,
    where: string,
  ) {
    super({
      op: where,
      message: `graph input "${input}" is used as a static value (shape, axes, pads...); Kiln needs it constant (give it as an initializer, or bind it with staticInputs)`,
    });
  }
}

export interface OperandSource {
  value(i: number): ValueId | undefined;
  static(i: number): StaticTensor | undefined;
  /** The graph input name feeding operand i, when it is one (for NeedsStaticInput). */
  graphInput(i: number): string | undefined;
}

export class NodeCtx {
  constructor(
    readonly e: Emitter,
    readonly node: OnnxNode,
    readonly opset: number,
    private readonly src: OperandSource,
  ) {}

  get where(): string {
    return this.e.where;
  }
  error(message: string): KilnError {
    return this.e.error(message);
  }

  /** Whether optional input i is given (present and not the empty name). */
  has(i: number): boolean {
    const n = this.node.inputs[i];
    return n !== undefined && n !== '';
  }
  get inputCount(): number {
    return this.node.inputs.length;
  }
  input(i: number): ValueId {
    if (!this.has(i)) throw this.error(`input #${i} is required`);
    const v = this.src.value(i);
    if (v === undefined) throw this.error(`input #${i} "${this.node.inputs[i]}" has no value`);
    return v;
  }
  opt(i: number): ValueId | undefined {
    return this.has(i) ? this.input(i) : undefined;
  }
  inputs(): ValueId[] {
    return this.node.inputs.map((_, i) => this.input(i));
  }

  static(i: number, what: string): StaticTensor {
    if (!this.has(i)) throw this.error(`${what} (input #${i}) is required`);
    const s = this.src.static(i);
    if (s !== undefined) return s;
    const gi = this.src.graphInput(i);
    if (gi !== undefined) throw new NeedsStaticInput(gi, this.where);
    throw this.error(`${what} (input #${i} "${this.node.inputs[i]}") must be known at import time: Kiln shapes are static, and this value is computed at run time`);
  }
  /** A static input that ONNX defines as a single value (a scalar or a one-element tensor): anything else is bad input. */
  staticScalar(i: number, what: string): number {
    const values = this.static(i, what).values;
    const v = values[0];
    if (values.length !== 1 || v === undefined) throw this.error(`${what} (input #${i}) must hold exactly one value, got ${values.length}`);
    return v;
  }
  staticInts(i: number, what: string): number[] {
    return this.static(i, what).values.map((v) => Math.trunc(v));
  }
  staticIntsOpt(i: number, what: string): number[] | undefined {
    return this.has(i) ? this.staticInts(i, what) : undefined;
  }

  private attr(name: string): OnnxAttrValue | undefined {
    return this.node.attributes.find((a) => a.name === name)?.value;
  }
  hasAttr(name: string): boolean {
    return this.attr(name) !== undefined;
  }
  private wrongKind(name: string, want: string, got: OnnxAttrValue): KilnError {
    return this.error(`attribute ${name} must be ${want}, got ${got.kind}`);
  }
  int(name: string, dflt: number): number {
    const a = this.attr(name);
    if (a === undefined) return dflt;
    if (a.kind !== 'int') throw this.wrongKind(name, 'an int', a);
    return a.value;
  }
  intReq(name: string): number {
    const a = this.attr(name);
    if (a === undefined) throw this.error(`attribute ${name} is required`);
    return this.int(name, 0);
  }
  float(name: string, dflt: number): number {
    const a = this.attr(name);
    if (a === undefined) return dflt;
    if (a.kind === 'int') return a.value;
    if (a.kind !== 'float') throw this.wrongKind(name, 'a float', a);
    return a.value;
  }
  ints(name: string): number[] | undefined {
    const a = this.attr(name);
    if (a === undefined) return undefined;
    if (a.kind === 'int') return [a.value];
    if (a.kind !== 'ints') throw this.wrongKind(name, 'ints', a);
    return [...a.value];
  }
  floats(name: string): number[] | undefined {
    const a = this.attr(name);
    if (a === undefined) return undefined;
    if (a.kind !== 'floats') throw this.wrongKind(name, 'floats', a);
    return [...a.value];
  }
  string(name: string, dflt: string): string {
    const a = this.attr(name);
    if (a === undefined) return dflt;
    if (a.kind !== 'string') throw this.wrongKind(name, 'a string', a);
    return a.value;
  }
  tensor(name: string): OnnxTensorProto | undefined {
    const a = this.attr(name);
    if (a === undefined) return undefined;
    if (a.kind !== 'tensor') throw this.wrongKind(name, 'a tensor', a);
    return a.value;
  }
  /** Rejects an attribute value Kiln does not implement, naming it (never guessed). */
  unsupported(what: string): KilnError {
    return new KilnError({ op: this.where, message: `unsupported: ${what}` });
  }
}

/** A lowering: emits Kiln IR for the node and returns one value per ONNX output (undefined for unused optional outputs). */
export type Lowering = (c: NodeCtx) => readonly (ValueId | undefined)[];

export interface OpRule {
  /** Attributes the lowering understands; any other attribute present is reported as unsupported. */
  readonly attrs: readonly string[];
  readonly lower: Lowering;
}
