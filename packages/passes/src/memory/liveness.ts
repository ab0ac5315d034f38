// Liveness over the schedule (node order) and the in-place rule for state updates, shared by
// memory planning and the plan checker.

import { opDefErased, shapesEqual, type Graph, type Node, type ValueId } from '@kiln/ir';

/** Index of the last node reading each value (values nobody reads are absent). */
export function lastUses(g: Graph): Map<ValueId, number> {
  const last = new Map<ValueId, number>();
  g.nodes.forEach((n, i) => {
    for (const o of n.operands) last.set(o, i);
  });
  return last;
}

/**
 * Whether `u` reads its operands `state` only at the index it writes: then writing the result
 * over the state's buffer never clobbers an element some other invocation still has to read.
 * For a kernel call: every node depending on that kernel input is elementwise on the output's
 * shape (so the value is read only in the elementwise part that produces the output element).
 */
export function readsOnlyAtOwnIndex(u: Node, state: ValueId, kernels: ReadonlyMap<string, Graph>): boolean {
  if (!u.operands.includes(state)) return true;
  if (u.op !== 'call') return opDefErased(u.op).fusion === 'elementwise';
  const k = kernels.get(u.attrs.callee);
  if (k === undefined) return false;
  const tainted = new Set<ValueId>();
  u.operands.forEach((o, i) => {
    const inp = k.inputs[i];
    if (o === state && inp !== undefined) tainted.add(inp.id);
  });
  const outShape = u.type.shape;
  for (const n of k.nodes) {
    if (!n.operands.some((o) => tainted.has(o))) continue;
    if (opDefErased(n.op).fusion !== 'elementwise' || !shapesEqual(n.type.shape, outShape)) return false;
    tainted.add(n.id);
  }
  return true;
}

/**
 * The in-place rule: state input `s` may be overwritten by its update `u` when u is a node
 * written by no other output, no output returns the old value of s, no node after u reads s, and
 * u itself reads s only at its own index.
 */
export function canUpdateInPlace(g: Graph, s: ValueId, u: ValueId, kernels: ReadonlyMap<string, Graph>): boolean {
  const at = g.nodes.findIndex((n) => n.id === u);
  if (at < 0) return false;
  if (g.outputs.filter((o) => o.value === u).length !== 1) return false;
  if (g.outputs.some((o) => o.value === s)) return false;
  for (let i = at + 1; i < g.nodes.length; i++) if (g.nodes[i]!.operands.includes(s)) return false;
  return readsOnlyAtOwnIndex(g.nodes[at]!, s, kernels);
}
