// Fusion's view of a graph: nodes by id, users of every value, schedule positions and types,
// built in one pass; plus the values fusion must materialize whatever their neighbours.

import { maxValueId, numel, opDefErased, type Graph, type Node, type TensorType, type ValueId } from '@kiln/ir';
import { constantSplat } from '../constants.js';
import { IdMap, IdSet } from '../id-map.js';

const MAX_INLINE_CONSTANT = 16;

export interface FusionIndex {
  readonly byId: IdMap<Node>;
  /** Readers of each value, each reader once however many of its operands it is. */
  readonly users: IdMap<Node[]>;
  readonly pos: IdMap<number>;
  readonly typeOf: (v: ValueId) => TensorType;
}

export function indexForFusion(g: Graph): FusionIndex {
  const capacity = maxValueId(g) + 1;
  const byId = new IdMap<Node>(capacity);
  const users = new IdMap<Node[]>(capacity);
  const pos = new IdMap<number>(capacity);
  const types = new IdMap<TensorType>(capacity);
  for (const i of g.inputs) types.set(i.id, i.type);
  g.nodes.forEach((n, at) => {
    byId.set(n.id, n);
    pos.set(n.id, at);
    types.set(n.id, n.type);
    n.operands.forEach((o, k) => {
      if (n.operands.indexOf(o) < k) return; // a repeated operand: this reader is listed already
      const list = users.get(o);
      if (list === undefined) users.set(o, [n]);
      else list.push(n);
    });
  });
  const typeOf = (v: ValueId): TensorType => {
    const t = types.get(v);
    if (t === undefined) throw new Error(`internal: fuse: no type for value ${v}`);
    return t;
  };
  return { byId, users, pos, typeOf };
}

/** Values that must be kernel outputs whatever the neighbours. */
export function forcedRoots(g: Graph): IdSet {
  const forced = new IdSet(
    maxValueId(g) + 1,
    g.outputs.map((o) => o.value),
  );
  for (const n of g.nodes) {
    const fusion = opDefErased(n.op).fusion;
    if (fusion === 'call' || fusion === 'window' || fusion === 'gather' || fusion === 'scatter') forced.add(n.id);
    if (n.op === 'constant' && constantSplat(n) === undefined && numel(n.type.shape) > MAX_INLINE_CONSTANT) forced.add(n.id);
  }
  return forced;
}

/** Topological order of a set of node ids. */
export function ordered(ids: Iterable<ValueId>, ix: FusionIndex): Node[] {
  return [...ids].sort((a, b) => ix.pos.get(a)! - ix.pos.get(b)!).map((id) => ix.byId.get(id)!);
}

/** Cone of `r`: the nodes reachable from it without crossing another root, topologically ordered. */
export function coneFrom(r: ValueId, roots: { has(v: ValueId): boolean }, ix: FusionIndex): Node[] {
  const cone = new Set<ValueId>([r]);
  const stack = [r];
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const o of ix.byId.get(v)?.operands ?? []) {
      if (cone.has(o) || roots.has(o) || !ix.byId.has(o)) continue;
      cone.add(o);
      stack.push(o);
    }
  }
  return ordered(cone, ix);
}
