// The shape of one CPU eval rule. The interpreter looks each node's rule up in the total table
// `evalRules` (eval-rules.ts) and hands it the operand values and this context.

import type { Graph, NodeOf } from '../graph.js';
import type { OpKind } from '../ops/index.js';
import { numel } from '../shape.js';
import { allocateArray, type HostTensor, type Precision } from './host-tensor.js';

export interface EvalContext {
  readonly precision: Precision;
  readonly kernels: ReadonlyMap<string, Graph>;
  /** Runs a kernel body on its operands (the interpreter's own loop; kept here to avoid an import cycle). */
  readonly runKernel: (kernel: Graph, operands: readonly HostTensor[]) => HostTensor;
}

/**
 * Computes a node's value. Rules never write to their operands and return a fresh array. They
 * throw plain Errors; the interpreter rethrows them as KilnError naming op, value and location.
 */
export type EvalRule<K extends OpKind> = (node: NodeOf<K>, operands: readonly HostTensor[], ctx: EvalContext) => HostTensor;

/** A zero-filled result for `node` under the context's precision. */
export function allocateResult(node: { readonly type: HostTensor['type'] }, ctx: EvalContext): HostTensor {
  return { type: node.type, data: allocateArray(node.type.dtype, numel(node.type.shape), ctx.precision) };
}

/** Operand #i; the verifier guarantees arity, so a missing one is an internal error. */
export function arg(operands: readonly HostTensor[], i: number): HostTensor {
  const t = operands[i];
  if (t === undefined) throw new Error(`internal: missing operand #${i}`);
  return t;
}
