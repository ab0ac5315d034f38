// Kiln IR inference graph -> serialized ONNX ModelProto (opset 17). Non-state inputs become graph
// inputs, state inputs initializers (their current values), and each Kiln op one or a few ONNX
// nodes (export-ops.ts). Ops with no ONNX counterpart here are a KilnError naming them.

import { KilnError, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import { encodeModel } from '../encode.js';
import { onnxTypeCodeOf, tensorInit } from './type-code.js';
import type { KilnTensor } from '../tensor-data.js';
import { EXPORT_RULES, type ExportSink } from './export-ops.js';

export const EXPORT_OPSET = 17;

const valueInfo = (name: string, t: TensorType): Record<string, unknown> => ({
  name,
  type: { tensor_type: { elem_type: onnxTypeCodeOf(t.dtype), shape: { dim: t.shape.map((d) => ({ dim_value: d })) } } },
});

/** Serializes `graph` (an inference graph: no state updates) with `state` giving each state input's value. */
export function exportGraph(graph: Graph, state: Readonly<Record<string, KilnTensor>>, producer = 'kiln'): Uint8Array {
  if (graph.kernels.length > 0) throw new KilnError({ message: `export: @${graph.name} holds fused kernels; export the graph before fusion` });
  if (graph.outputs.some((o) => o.updatesState)) throw new KilnError({ message: `export: @${graph.name} updates state (a training step); only inference graphs export` });
  const names = new Map<ValueId, string>();
  const nodes: Record<string, unknown>[] = [];
  const initializers: Record<string, unknown>[] = [];
  const inputs: Record<string, unknown>[] = [];
  let counter = 0;
  const fresh = (base: string): string => `${base}_${counter++}`;
  for (const inp of graph.inputs) {
    names.set(inp.id, inp.name);
    if (inp.state) {
      const v = state[inp.name];
      if (v === undefined) throw new KilnError({ message: `export: no value for state input %${inp.name}` });
      initializers.push(tensorInit(inp.name, inp.type, v.data));
    } else inputs.push(valueInfo(inp.name, inp.type));
  }
  const types = new Map<ValueId, TensorType>(graph.inputs.map((i) => [i.id, i.type]));
  const sink: ExportSink = {
    name: (v) => {
      const n = names.get(v);
      if (n === undefined) throw new KilnError({ message: `internal: export: value ${v} used before definition` });
      return n;
    },
    type: (v) => {
      const t = types.get(v);
      if (t === undefined) throw new KilnError({ message: `internal: export: value ${v} has no type` });
      return t;
    },
    fresh,
    node: (opType, ins, outs, attribute = []) => nodes.push({ op_type: opType, input: [...ins], output: [...outs], attribute }),
    constant: (type, values) => {
      const name = fresh('const');
      initializers.push(tensorInit(name, type, values));
      return name;
    },
    int64: (values) => {
      const name = fresh('i64');
      const raw = new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
      initializers.push({ name, dims: [values.length], data_type: 7, raw_data: raw });
      return name;
    },
  };
  for (const n of graph.nodes) {
    const out = n.name !== undefined ? `${n.name}_${n.id}` : `v${n.id}`;
    types.set(n.id, n.type);
    EXPORT_RULES[n.op](n as never, sink, out);
    names.set(n.id, out);
  }
  const outputs = graph.outputs.map((o) => {
    const src = sink.name(o.value);
    if (src !== o.name) sink.node('Identity', [src], [o.name]);
    return valueInfo(o.name, sink.type(o.value));
  });
  return encodeModel({
    ir_version: 8,
    producer_name: producer,
    opset_import: [{ domain: '', version: EXPORT_OPSET }],
    graph: { name: graph.name, node: nodes, initializer: initializers, input: inputs, output: outputs },
  });
}
