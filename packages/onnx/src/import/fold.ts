// Import-time folding: a node whose operands are all known at import time (shape arithmetic,
// constants) is lowered into a scratch graph and run on the CPU interpreter, so its results stay
// static values that later shape, axis and position inputs can read.

import { GraphBuilder, KilnError, interpret } from '@kiln/ir';
import type { OnnxNode } from '../model.js';
import { Emitter } from './emit.js';
import { NodeCtx, type OpRule, type OperandSource, type StaticTensor } from './node-ctx.js';

/** The node's outputs computed from `statics` (undefined for outputs its lowering leaves out). */
export function foldNode(rule: OpRule, node: OnnxNode, where: string, opset: number, statics: readonly (StaticTensor | undefined)[]): (StaticTensor | undefined)[] {
  const sb = new GraphBuilder('fold');
  const ids = statics.map((s) => (s === undefined ? undefined : sb.add('constant', [], { value: [...s.values] }, { type: { dtype: s.dtype, shape: [...s.dims] } })));
  const src: OperandSource = { value: (i) => ids[i], static: (i) => statics[i], graphInput: () => undefined };
  const outs = rule.lower(new NodeCtx(new Emitter(sb, where), node, opset, src));
  outs.forEach((id, i) => {
    if (id !== undefined) sb.output(id, `o${i}`);
  });
  const results = interpret(sb.build(), {});
  return outs.map((id, i) => {
    if (id === undefined) return undefined;
    const r = results[`o${i}`];
    if (r === undefined) throw new KilnError({ op: where, message: `internal: folded output #${i} missing` });
    return { dims: [...r.type.shape], values: Array.from(r.data), dtype: r.type.dtype };
  });
}
