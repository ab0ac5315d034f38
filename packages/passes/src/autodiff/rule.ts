// Autodiff: the shape of one VJP rule. `appendGradients` (backprop.ts) looks each node's rule up in
// the total table `vjpRules` (vjp-rules.ts) and hands it this context; rules emit IR primitives.

import type { NodeOf, OpKind, ValueId } from '@kiln/ir';
import type { Emitter } from './emitter.js';

export interface VjpContext<K extends OpKind> {
  /** Appends IR to the builder being differentiated; nodes carry the forward node's location. */
  readonly e: Emitter;
  /** The forward node; its operands and its own id (the primal result) are usable values. */
  readonly node: NodeOf<K>;
  /** Cotangent of the node's result (f32, same type as the result). */
  readonly ct: ValueId;
  /** needs[i]: operand i lies on a path from the differentiated inputs; others may be left undefined. */
  readonly needs: readonly boolean[];
}

/**
 * Returns one cotangent per operand (same type as that operand), or undefined where the operand
 * needs none or its cotangent is zero. Built only from IR primitives, so it is differentiable again.
 */
export type VjpFn<K extends OpKind> = (c: VjpContext<K>) => readonly (ValueId | undefined)[];

/** No gradient flows through this op: it is cut from the backward pass (as if its result were constant). */
export interface NonDiff {
  readonly kind: 'nondiff';
  readonly why: string;
}

/** Differentiating through this op is an error (reported naming the node). */
export interface Unsupported {
  readonly kind: 'unsupported';
  readonly why: string;
}

export type VjpRule<K extends OpKind> = VjpFn<K> | NonDiff | Unsupported;

export const nondiff = (why: string): NonDiff => ({ kind: 'nondiff', why });

/** Operand #i of a node; the verifier guarantees arity, so a missing one is an internal error. */
export function operandOf(node: { readonly operands: readonly ValueId[] }, i: number): ValueId {
  const v = node.operands[i];
  if (v === undefined) throw new Error(`internal: missing operand #${i}`);
  return v;
}
