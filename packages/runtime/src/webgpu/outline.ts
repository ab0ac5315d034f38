// The trivial fusion, local to the WebGPU backend (runtime must not depend on @kiln/passes): a
// graph not in fused form (every node a `call` of a kernel) gets every non-call node wrapped in its own one-node kernel.

import { GraphBuilder, KilnError, mapGet, type Graph, type Node, type ValueId } from '@kiln/ir';

export function isFusedForm(g: Graph): boolean {
  return g.nodes.every((n) => n.op === 'call');
}

function uniqueName(base: string, used: Set<string>): string {
  let name = base;
  for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
  used.add(name);
  return name;
}

function outlineNode(node: Node, name: string, typeOf: (v: ValueId) => Graph['inputs'][number]['type']): Graph {
  const kb = new GraphBuilder(name, 'kernel');
  const args = node.operands.map((v, i) => kb.input(`a${i}`, typeOf(v)));
  // The node keeps its attributes; its type is re-inferred (annotated for source ops).
  const out = kb.add(node.op, args, node.attrs, { type: node.type, ...(node.name !== undefined ? { name: node.name } : {}) });
  kb.output(out, 'out');
  return kb.build();
}

/** `graph` with every non-call node turned into a call of a fresh one-node kernel. */
export function outlineGraph(graph: Graph): Graph {
  if (isFusedForm(graph)) return graph;
  const b = new GraphBuilder(graph.name);
  const map = new Map<ValueId, ValueId>();
  for (const inp of graph.inputs)
    map.set(inp.id, b.input(inp.name, inp.type, { state: inp.state, ...(inp.annotations !== undefined ? { annotations: inp.annotations } : {}) }));
  const used = new Set(graph.kernels.map((k) => k.name));
  for (const k of graph.kernels) b.addKernel(k);
  const types = new Map<ValueId, Graph['inputs'][number]['type']>();
  for (const inp of graph.inputs) types.set(inp.id, inp.type);
  const typeOf = (v: ValueId): Graph['inputs'][number]['type'] => {
    const t = types.get(v);
    if (t === undefined) throw new KilnError({ message: `internal: value ${v} used before definition in @${graph.name}` });
    return t;
  };
  graph.nodes.forEach((node, i) => {
    types.set(node.id, node.type);
    const operands = node.operands.map((v) => mapGet(map, v, 'outlined values (operands are defined before use)'));
    const opts = {
      type: node.type,
      ...(node.name !== undefined ? { name: node.name } : {}),
      ...(node.loc !== undefined ? { loc: node.loc } : {}),
      ...(node.annotations !== undefined ? { annotations: node.annotations } : {}),
    };
    if (node.op === 'call') {
      map.set(node.id, b.add('call', operands, node.attrs, opts));
      return;
    }
    const kernel = outlineNode(node, uniqueName(`k${i}_${node.op}`, used), typeOf);
    b.addKernel(kernel);
    map.set(node.id, b.add('call', operands, { callee: kernel.name }, opts));
  });
  for (const o of graph.outputs) b.output(mapGet(map, o.value, 'outlined values (outputs are defined)'), o.name, o.updatesState);
  return b.build();
}
