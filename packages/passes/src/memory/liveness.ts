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

/** Schedule facts the in-place rule asks about, computed once per graph (one pass over it). */
export interface ScheduleIndex {
  readonly position: ReadonlyMap<ValueId, number>;
  readonly last: ReadonlyMap<ValueId, number>;
  /** How many graph outputs return each value. */
  readonly outputUses: ReadonlyMap<ValueId, number>;
}

export function scheduleIndex(g: Graph): ScheduleIndex {
  const position = new Map<ValueId, number>();
  g.nodes.forEach((n, i) => position.set(n.id, i));
  const outputUses = new Map<ValueId, number>();
  for (const o of g.outputs) outputUses.set(o.value, (outputUses.get(o.value) ?? 0) + 1);
  return { position, last: lastUses(g), outputUses };
}

/**
 * The in-place rule: state input `s` may be overwritten by its update `u` when u is a node
 * written by no other output, no output returns the old value of s, no node after u reads s, and
 * u itself reads s only at its own index.
 */
export function canUpdateInPlace(g: Graph, s: ValueId, u: ValueId, kernels: ReadonlyMap<string, Graph>, ix: ScheduleIndex = scheduleIndex(g)): boolean {
  const at = ix.position.get(u);
  if (at === undefined) return false;
  if (ix.outputUses.get(u) !== 1) return false;
  if (ix.outputUses.has(s)) return false;
  if ((ix.last.get(s) ?? -1) > at) return false;
  return readsOnlyAtOwnIndex(g.nodes[at]!, s, kernels);
}
