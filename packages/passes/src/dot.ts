// graphToDot: a Graphviz DOT picture of a graph. Each call of a fused kernel is a cluster holding
// the kernel's body; edges carry the value's type; state inputs and state updates stand apart.

import { classifyKernel, elementAt, formatType, valueNames, type Graph, type Node, type ValueId } from '@kiln/ir';

/** A DOT double-quoted string (labels may hold quotes, backslashes and newlines). */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

const STYLE = {
  input: 'shape=box, style="rounded,filled", fillcolor="#dbe9f6"',
  state: 'shape=cylinder, style=filled, fillcolor="#fde9b8"',
  output: 'shape=box, style="rounded,filled", fillcolor="#d9f0d3"',
  stateUpdate: 'shape=cylinder, style="filled,dashed", fillcolor="#fde9b8"',
  node: 'shape=ellipse',
  kernelNode: 'shape=ellipse, style=filled, fillcolor=white',
  // Graph attributes, so ';'-separated statements (a node's attribute list takes commas).
  cluster: 'style="rounded,filled"; fillcolor="#f2f2f2"; color="#888888";',
} as const;

function opLabel(n: Node, name: string | undefined): string {
  return n.name !== undefined && name !== undefined ? `${n.op}\n%${name}` : n.op;
}

/** The DOT text of `graph`; render it with Graphviz (kiln dump --svg uses @viz-js/viz). */
export function graphToDot(graph: Graph): string {
  const names = valueNames(graph);
  const kernels = new Map(graph.kernels.map((k) => [k.name, k] as const));
  const types = new Map<ValueId, string>();
  // The picture node each top-level value leaves from (for a call: the kernel node computing its result).
  const source = new Map<ValueId, string>();
  const lines: string[] = [
    `digraph ${quote(`@${graph.name}`)} {`,
    `  label=${quote(`@${graph.name} (${graph.kind})`)}; labelloc=t; rankdir=TB; fontname="Helvetica";`,
    '  node [fontname="Helvetica", fontsize=11]; edge [fontname="Helvetica", fontsize=9];',
  ];
  const edge = (from: string, to: string, v: ValueId, extra = ''): void => {
    lines.push(`  ${from} -> ${to} [label=${quote(types.get(v) ?? '')}${extra}];`);
  };

  for (const inp of graph.inputs) {
    const id = `in${inp.id}`;
    types.set(inp.id, formatType(inp.type));
    source.set(inp.id, id);
    lines.push(`  ${id} [label=${quote(`%${inp.name}${inp.state ? '\n{state}' : ''}`)}, ${inp.state ? STYLE.state : STYLE.input}];`);
  }

  graph.nodes.forEach((n, i) => {
    types.set(n.id, formatType(n.type));
    const kernel = n.op === 'call' ? kernels.get(n.attrs.callee) : undefined;
    if (n.op !== 'call' || kernel === undefined) {
      const id = `n${n.id}`;
      lines.push(`  ${id} [label=${quote(opLabel(n, names.get(n.id)))}, ${STYLE.node}];`);
      for (const o of n.operands) edge(source.get(o) ?? `n${o}`, id, o);
      source.set(n.id, id);
      return;
    }
    // One cluster per call (not per kernel): a kernel called twice is dispatched twice.
    const cls = classifyKernel(kernel);
    const notes = [...(cls.ok ? [cls.cls.kind] : []), ...(n.annotations?.['inplace'] === 1 ? ['in place'] : [])];
    const title = `@${kernel.name}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(title)}; ${STYLE.cluster}`);
    // Inside the kernel, its inputs stand for the call's operands: their edges cross into the cluster.
    const inner = new Map<ValueId, { src: string; outer: ValueId }>();
    kernel.inputs.forEach((kin, k) => {
      const outer = elementAt(n.operands, k, `call @${kernel.name} operands`);
      inner.set(kin.id, { src: source.get(outer) ?? `n${outer}`, outer });
    });
    const innerTypes = new Map(kernel.nodes.map((kn) => [kn.id, formatType(kn.type)] as const));
    // Edges are declared after the cluster: a node belongs to the subgraph where it is first named.
    const crossing: string[] = [];
    for (const kn of kernel.nodes) {
      const id = `k${i}_${kn.id}`;
      lines.push(`    ${id} [label=${quote(kn.op)}, ${STYLE.kernelNode}];`);
      for (const o of kn.operands) {
        const from = inner.get(o);
        const label = from !== undefined && from.outer !== -1 ? types.get(from.outer) : innerTypes.get(o);
        crossing.push(`  ${from?.src ?? `k${i}_${o}`} -> ${id} [label=${quote(label ?? '')}];`);
      }
      inner.set(kn.id, { src: id, outer: -1 });
    }
    const result = elementAt(kernel.outputs, 0, `kernel @${kernel.name} outputs`).value;
    let resultSrc = inner.get(result);
    if (resultSrc === undefined || resultSrc.outer !== -1) {
      // A kernel that returns one of its inputs unchanged still produces a value of its own.
      const id = `k${i}_out`;
      lines.push(`    ${id} [label="copy", ${STYLE.kernelNode}];`);
      if (resultSrc !== undefined) crossing.push(`  ${resultSrc.src} -> ${id} [label=${quote(types.get(resultSrc.outer) ?? '')}];`);
      resultSrc = { src: id, outer: -1 };
    }
    lines.push('  }', ...crossing);
    source.set(n.id, resultSrc.src);
  });

  graph.outputs.forEach((o, j) => {
    const id = `out${j}`;
    const from = source.get(o.value) ?? `n${o.value}`;
    if (o.updatesState) {
      lines.push(`  ${id} [label=${quote(`%${o.name}\n{state update}`)}, ${STYLE.stateUpdate}];`);
      edge(from, id, o.value, ', style=dashed');
    } else {
      lines.push(`  ${id} [label=${quote(o.name)}, ${STYLE.output}];`);
      edge(from, id, o.value);
    }
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}
