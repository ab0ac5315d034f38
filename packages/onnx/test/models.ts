// Small ONNX models built in code (no test data needed): an MLP with initializers, and graphs from
// a node list, as the plain ModelProto objects encodeModel takes, so tests can also corrupt them.

import { interpret } from '@kiln/ir';
import type { ImportedModel } from '../src/index.js';

export function f32Raw(values: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

export interface MlpOptions {
  readonly w?: Record<string, unknown>;
  readonly nodes?: Record<string, unknown>[];
  readonly inputs?: Record<string, unknown>[];
}

const tensorType = (shape: readonly number[]): Record<string, unknown> => ({ tensor_type: { elem_type: 1, shape: { dim: shape.map((d) => ({ dim_value: d })) } } });

/** Y = softmax(relu(X @ W + B)), X [2,4], W [4,3], B [3]. */
export function mlpModel(opts: MlpOptions = {}): Record<string, unknown> {
  const w = Array.from({ length: 12 }, (_, i) => ((i * 7) % 5) / 5 - 0.4);
  return {
    ir_version: 8,
    producer_name: 'kiln-test',
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'mlp',
      node: opts.nodes ?? [
        { op_type: 'MatMul', input: ['X', 'W'], output: ['h'] },
        { op_type: 'Add', input: ['h', 'B'], output: ['z'] },
        { op_type: 'Relu', input: ['z'], output: ['r'] },
        { op_type: 'Softmax', input: ['r'], output: ['Y'], attribute: [{ name: 'axis', type: 2, i: 1 }] },
      ],
      initializer: [
        { name: 'W', dims: [4, 3], data_type: 1, raw_data: f32Raw(w), ...opts.w },
        { name: 'B', dims: [3], data_type: 1, float_data: [0.1, -0.2, 0.3] },
      ],
      input: opts.inputs ?? [{ name: 'X', type: tensorType([2, 4]) }],
      output: [{ name: 'Y', type: tensorType([2, 3]) }],
    },
  };
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const valueInfo = (name: string, shape: readonly number[], elem = 1) => ({ name, type: { tensor_type: { elem_type: elem, shape: { dim: shape.map((d) => ({ dim_value: d })) } } } });

export interface GraphSpec {
  /** Graph inputs: name, shape and ONNX element type (default FLOAT). */
  readonly inputs: readonly (readonly [string, readonly number[]] | readonly [string, readonly number[], number])[];
  readonly nodes: readonly Record<string, unknown>[];
  readonly outputs: readonly string[];
  readonly initializers?: readonly Record<string, unknown>[];
  /** Graph inputs that are sequences of FLOAT tensors (after `inputs`). */
  readonly sequenceInputs?: readonly string[];
}

const floatSequence = (name: string) => ({ name, type: { sequence_type: { elem_type: { tensor_type: { elem_type: 1 } } } } });

/** A ModelProto (opset 12 plus `domains`) running `s.nodes`; outputs are declared without types. */
export function graphModel(s: GraphSpec, domains: readonly { domain: string; version: number }[] = []): Record<string, unknown> {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: 12 }, ...domains],
    graph: {
      name: 'g',
      node: s.nodes,
      initializer: s.initializers ?? [],
      input: [...s.inputs.map(([n, shape, elem]) => valueInfo(n, shape, elem)), ...(s.sequenceInputs ?? []).map(floatSequence)],
      output: s.outputs.map((n) => ({ name: n })),
    },
  };
}

/** The ONNX name of an imported value, with `#k` for item k of a sequence. */
const onnxKey = (v: { readonly onnxName: string; readonly item?: number }): string => (v.item === undefined ? v.onnxName : `${v.onnxName}#${v.item}`);

/** Runs an imported model on the CPU interpreter with f32 feeds by ONNX name (`seq#k` for sequence items); outputs likewise. */
export function runF32(m: ImportedModel, feeds: Readonly<Record<string, readonly number[]>>): Record<string, number[]> {
  const inputs = Object.fromEntries(m.inputs.map((i) => [i.name, { type: i.type, data: Float32Array.from(feeds[onnxKey(i)] ?? []) }]));
  const out = interpret(m.graph, inputs);
  return Object.fromEntries(m.outputs.map((o) => [onnxKey(o), Array.from(out[o.name]?.data ?? [])]));
}
