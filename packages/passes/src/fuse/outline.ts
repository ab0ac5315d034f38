// `outline(graph)` and pass `outline`: the trivial fusion, every node its own kernel (contract C2).
// Always legal, so it is the fallback when a fused kernel cannot be compiled.

import type { Graph } from '@kiln/ir';
import { removeDeadNodes } from '../dce.js';
import { resolveLimits, type Pass, type PassOptions, type PassResult } from '../pass.js';
import { emitFusedGraph } from './kernels.js';
import { splitWideConcats } from './wide-concat.js';

/** Every node its own kernel; concats wider than the storage-buffer limit are split first. */
export function outline(input: Graph, options: PassOptions = {}): Graph {
  const graph = splitWideConcats(input, resolveLimits(options).maxStorageBuffersPerShaderStage - 1).graph;
  const types = new Map(graph.inputs.map((i) => [i.id, i.type] as const));
  for (const n of graph.nodes) types.set(n.id, n.type);
  const roots = new Set(graph.nodes.map((n) => n.id));
  return emitFusedGraph(graph, roots, (root) => [root], (v) => {
    const t = types.get(v);
    if (t === undefined) throw new Error(`internal: outline: no type for value ${v}`);
    return t;
  }).graph;
}

export const outlinePass: Pass = {
  name: 'outline',
  description: 'every node its own kernel (the trivial fusion); drops dead nodes first',
  run(graph, options): PassResult {
    const dce = removeDeadNodes(graph);
    const primitive = dce.graph.nodes.filter((n) => n.op !== 'call').length;
    const g = outline(dce.graph, options);
    return {
      graph: primitive > 0 || dce.removedNodes > 0 ? g : graph,
      changed: primitive > 0 || dce.removedNodes > 0,
      stats: { kernels: g.nodes.length, uniqueKernels: g.kernels.length - dce.graph.kernels.length, removedNodes: dce.removedNodes },
    };
  },
};
