// Dimension shrinking for the fuzzer's shrinker: rewrite every occurrence of one dimension size
// (in types, shape attributes, slice limits, kernels) to a smaller size. Heuristic: the caller
// keeps the result only if it still verifies and still fails.

import { elementAt, numel, type Graph, type Node, type Shape, type TensorType } from '@kiln/ir';
import type { FuzzInputs } from './gen-context.js';

interface Case {
  readonly graph: Graph;
  readonly inputs: FuzzInputs;
}

function shape(s: Shape, from: number, to: number): number[] {
  return s.map((d) => (d === from ? to : d));
}

function type(t: TensorType, from: number, to: number): TensorType {
  return { dtype: t.dtype, shape: shape(t.shape, from, to) };
}

function resizeNode(n: Node, from: number, to: number): Node {
  const t = type(n.type, from, to);
  const attrs: Record<string, unknown> = { ...n.attrs };
  // Only these ops carry sizes in their attributes; every other op keeps its attributes.
  if (n.op === 'reshape' || n.op === 'broadcast') attrs['shape'] = shape(n.attrs.shape, from, to);
  else if (n.op === 'slice') {
    const limit = shape(n.attrs.limit, from, to);
    attrs['limit'] = limit;
    attrs['start'] = n.attrs.start.map((s, i) => Math.min(s, elementAt(limit, i, 'resized slice limit (one per start)')));
  } else if (n.op === 'constant') {
    const v = n.attrs.value;
    if (typeof v !== 'number' && v.length !== numel(t.shape)) attrs['value'] = v[0] ?? 0;
  }
  return { ...n, type: t, attrs } as Node;
}

function resizeGraph(g: Graph, from: number, to: number): Graph {
  return {
    ...g,
    inputs: g.inputs.map((i) => ({ ...i, type: type(i.type, from, to) })),
    nodes: g.nodes.map((n) => resizeNode(n, from, to)),
    kernels: g.kernels.map((k) => resizeGraph(k, from, to)),
  };
}

/** The case with dimension size `from` replaced by `to` everywhere, input data truncated to fit. */
export function substituteSize(c: Case, from: number, to: number): Case | undefined {
  const graph = resizeGraph(c.graph, from, to);
  const inputs: FuzzInputs = {};
  for (const i of graph.inputs) {
    const data = c.inputs[i.name];
    if (data === undefined) return undefined;
    const n = numel(i.type.shape);
    inputs[i.name] = Array.from({ length: n }, (_, k) => data[k % Math.max(data.length, 1)] ?? 0);
  }
  return { graph, inputs };
}
