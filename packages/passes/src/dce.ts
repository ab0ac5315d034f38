// Pass `dce`: dead-code elimination. Keeps the nodes some graph output depends on (every op is
// pure, random_bits included) and the kernels still called; inputs stay (they are the signature).

import { maxValueId, type Graph } from '@kiln/ir';
import { IdSet } from './id-map.js';
import type { Pass, PassResult } from './pass.js';

export interface DeadCodeResult {
  readonly graph: Graph;
  readonly removedNodes: number;
  readonly removedKernels: number;
}

/** Removes nodes no output depends on, then kernels no remaining `call` names. */
export function removeDeadNodes(g: Graph): DeadCodeResult {
  const live = new IdSet(
    maxValueId(g) + 1,
    g.outputs.map((o) => o.value),
  );
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (live.has(n.id)) for (const o of n.operands) live.add(o);
  }
  const nodes = g.nodes.filter((n) => live.has(n.id));
  const called = new Set<string>();
  for (const n of nodes) if (n.op === 'call') called.add(n.attrs.callee);
  const kernels = g.kernels.filter((k) => called.has(k.name));
  const removedNodes = g.nodes.length - nodes.length;
  const removedKernels = g.kernels.length - kernels.length;
  if (removedNodes === 0 && removedKernels === 0) return { graph: g, removedNodes, removedKernels };
  return { graph: { ...g, nodes, kernels }, removedNodes, removedKernels };
}

export const dcePass: Pass = {
  name: 'dce',
  description: 'remove nodes that no output depends on, and kernels no longer called',
  run(graph): PassResult {
    const r = removeDeadNodes(graph);
    return {
      graph: r.graph,
      changed: r.removedNodes > 0 || r.removedKernels > 0,
      stats: { removedNodes: r.removedNodes, removedKernels: r.removedKernels },
    };
  },
};
