// The shape of one algebraic simplification rule (see rules.ts for the total table over ops) and
// the context it sees: the graph built so far, constant splats, and a way to add new nodes.

import { elementAt, type AttrsOf, type DType, type Node, type NodeOf, type OpKind, type TensorType, type ValueId } from '@kiln/ir';
import { constantSplat } from '../constants.js';
import type { GraphRewriter } from '../rewrite.js';

export interface SimplifyContext {
  /** The node defining `v` in the graph being built (undefined for inputs). */
  producer(v: ValueId): Node | undefined;
  typeOf(v: ValueId): TensorType;
  /** The value every element of `v` has, when `v` is a constant splat (seen through broadcasts). */
  splat(v: ValueId): number | undefined;
  /** Adds a node (its type from the registry, or `type` for constants) and returns its value. */
  emit<K extends OpKind>(op: K, operands: readonly ValueId[], attrs: AttrsOf<K>, type?: TensorType): ValueId;
  /** A constant filled with `value`, of type `type`. */
  constant(type: TensorType, value: number | number[]): ValueId;
}

/** A rule returns the value that replaces the node, or undefined when it does not apply. */
export type Rule<K extends OpKind> = (node: NodeOf<K>, ctx: SimplifyContext) => ValueId | undefined;

/** Named rules, so the pass can count what fired. */
export interface NamedRule<K extends OpKind> {
  readonly name: string;
  readonly apply: Rule<K>;
  /** Not bit-exact in f32 (skipped under the strictFloat option). */
  readonly inexact: boolean;
}

export function rule<K extends OpKind>(name: string, apply: Rule<K>, inexact = false): NamedRule<K> {
  return { name, apply, inexact };
}

export function isFloat(d: DType): boolean {
  return d === 'f32';
}

export function contextFor(rw: GraphRewriter): SimplifyContext {
  const splat = (v: ValueId): number | undefined => {
    const p = rw.producer(v);
    if (p === undefined) return undefined;
    if (p.op === 'constant') return constantSplat(p);
    // A broadcast of a splat is the same splat (when it has elements at all).
    if ((p.op === 'broadcast' || p.op === 'reshape') && p.type.shape.every((d) => d > 0)) return splat(elementAt(p.operands, 0, 'broadcast or reshape operands'));
    return undefined;
  };
  return {
    producer: (v) => rw.producer(v),
    typeOf: (v) => rw.typeOf(v),
    splat,
    emit: (op, operands, attrs, type) => rw.emit(op, operands, attrs, type),
    constant: (type, value) => rw.emit('constant', [], { value }, type),
  };
}
