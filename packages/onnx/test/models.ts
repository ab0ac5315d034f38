// Small ONNX models built in code (no test data needed): an MLP with initializers, as the plain
// ModelProto objects encodeModel takes, so tests can also corrupt them structurally.

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
