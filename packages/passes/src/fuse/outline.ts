// `outline(graph)` and pass `outline`: the trivial fusion, every node its own kernel (the fused
// form with nothing fused). Always legal, so the WebGPU runtime outlines any graph handed to it
// that is not in fused form yet, and it is the fallback when a fused kernel cannot be compiled.

import { KilnError, type Graph } from '@kiln/ir';
import { removeDeadNodes } from '../dce.js';
import { resolveLimits, type Pass, type PassOptions, type PassResult } from '../pass.js';
import { emitFusedGraph } from './kernels.js';
import { splitWideConcats } from './wide-concat.js';

/** True when every node is a `call` of a kernel: the form codegen and the runtime consume. */
export function isFusedForm(g: Graph): boolean {
  return g.nodes.every((n) => n.op === 'call');
}

/**
 * Every non-call node its own kernel (calls stay as they are; structurally identical nodes share
 * one); concats wider than the storage-buffer limit are split first. A fused graph is returned as is.
 */
export function outline(input: Graph, options: PassOptions = {}): Graph {
  if (isFusedForm(input)) return input;
  const graph = splitWideConcats(input, resolveLimits(options).maxStorageBuffersPerShaderStage - 1).graph;
  const types = new Map(graph.inputs.map((i) => [i.id, i.type] as const));
  for (const n of graph.nodes) types.set(n.id, n.type);
  const roots = new Set(graph.nodes.map((n) => n.id));
  return emitFusedGraph(
    graph,
    roots,
    (root) => [root],
    (v) => {
      const t = types.get(v);
      if (t === undefined) throw new KilnError({ message: `internal: outline: value ${v} used but never defined in @${graph.name}` });
      return t;
    },
  ).graph;
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
