// Importer diagnostics: what Kiln cannot run is named (op and opset, attribute, dtype), never
// approximated; shape inputs computed from graph inputs ask for static binding; malformed nodes
// (window attributes of the wrong length, a "scalar" input with other than one value, indices
// that cannot index) are errors naming the problem, never read as 0; and a model's initializers
// become state inputs with their values.

import { describe, expect, it } from 'vitest';
import { interpret } from '@kiln/ir';
import { decodeModel, encodeModel, importModel, NeedsStaticInput } from '../src/index.js';
import { graphModel, mlpModel, runF32 } from './models.js';

const load = (m: Record<string, unknown>) => importModel(decodeModel(encodeModel(m)));
const vi = (name: string, elem: number, shape: number[]) => ({ name, type: { tensor_type: { elem_type: elem, shape: { dim: shape.map((d) => ({ dim_value: d })) } } } });

describe('onnx import', () => {
  it('imports the MLP: initializers as state, softmax rows sum to 1', () => {
    const m = load(mlpModel());
    expect(m.params.map((p) => p.name)).toEqual(['W', 'B']);
    const x = { type: { dtype: 'f32' as const, shape: [2, 4] }, data: Float32Array.from([1, 2, 3, 4, -1, 0, 1, 2]) };
    const out = interpret(m.graph, { X: x, W: m.params[0]?.value ?? x, B: m.params[1]?.value ?? x });
    const y = out['Y']?.data ?? new Float32Array();
    expect(y.length).toBe(6);
    expect((y[0] ?? 0) + (y[1] ?? 0) + (y[2] ?? 0)).toBeCloseTo(1, 6);
  });

  it('names unsupported ops with their opset, and unsupported attributes', () => {
    expect(() => load(mlpModel({ nodes: [{ op_type: 'Frobnicate', input: ['X'], output: ['Y'] }] }))).toThrow(/unsupported op Frobnicate \(opset 17\)/);
    expect(() => load(mlpModel({ nodes: [{ op_type: 'Relu', input: ['X'], output: ['Y'], attribute: [{ name: 'speed', type: 2, i: 3 }] }] }))).toThrow(
      /unsupported attribute speed of Relu/,
    );
  });

  it('names unsupported dtypes', () => {
    expect(() => load(mlpModel({ inputs: [vi('X', 11, [2, 4])] }))).toThrow(/unsupported dtype DOUBLE/);
  });

  it('asks for a static binding when a shape comes from a graph input', () => {
    const m = mlpModel({ inputs: [vi('X', 1, [2, 4]), vi('S', 7, [2])], nodes: [{ op_type: 'Reshape', input: ['X', 'S'], output: ['Y'] }] });
    let err: unknown;
    try {
      load(m);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NeedsStaticInput);
    expect(err instanceof NeedsStaticInput ? err.input : '').toBe('S');
    const bound = importModel(decodeModel(encodeModel(m)), { staticInputs: { S: { type: { dtype: 'i32', shape: [2] }, data: Int32Array.from([4, 2]) } } });
    expect(bound.outputs[0]?.type.shape).toEqual([4, 2]);
  });

  it('reads a scalar input (Range) only when it holds exactly one value, and rejects a zero step', () => {
    const scalar = (name: string, values: number[]) => ({ name, dims: values.length === 1 ? [] : [values.length], data_type: 1, float_data: values });
    const range = (limit: number[], delta: number[]) => ({
      ir_version: 8,
      producer_name: 'kiln-test',
      opset_import: [{ domain: '', version: 17 }],
      graph: {
        name: 'range',
        node: [{ op_type: 'Range', input: ['S', 'L', 'D'], output: ['Y'] }],
        initializer: [scalar('S', [1]), scalar('L', limit), scalar('D', delta)],
        output: [{ name: 'Y', type: { tensor_type: { elem_type: 1 } } }],
      },
    });
    expect(load(range([7], [2])).outputs[0]?.type.shape).toEqual([3]);
    expect(() => load(range([7, 9], [2]))).toThrow(/limit \(input #1\) must hold exactly one value, got 2/);
    expect(() => load(range([7], []))).toThrow(/delta \(input #2\) must hold exactly one value, got 0/);
    expect(() => load(range([7], [0]))).toThrow(/start, limit and delta must be finite and delta non-zero, got 1, 7, 0/);
  });

  it('rejects window attributes with the wrong number of entries instead of defaulting them', () => {
    const pool = (attribute: Record<string, unknown>[]) =>
      graphModel({ inputs: [['X', [1, 1, 4, 4]]], nodes: [{ op_type: 'MaxPool', input: ['X'], output: ['Y'], attribute }], outputs: ['Y'] });
    const kernel = { name: 'kernel_shape', type: 7, ints: [2, 2] };
    expect(runF32(load(pool([kernel, { name: 'strides', type: 7, ints: [2, 2] }])), { X: Array.from({ length: 16 }, (_, i) => i) })['Y']).toEqual([5, 7, 13, 15]);
    expect(() => load(pool([]))).toThrow(/kernel_shape, strides, dilations and pads need 2, 2, 2 and 4 entries for 2 spatial dims, got 0, 2, 2 and 4/);
    expect(() => load(pool([kernel, { name: 'pads', type: 7, ints: [1, 1] }]))).toThrow(/got 2, 2, 2 and 2/);
  });

  it('ConstantOfShape takes a one-element value tensor (default 0) and nothing else', () => {
    const model = (floats: number[] | undefined) =>
      graphModel({
        inputs: [],
        initializers: [{ name: 'S', dims: [1], data_type: 7, int64_data: [3] }],
        nodes: [
          {
            op_type: 'ConstantOfShape',
            input: ['S'],
            output: ['Y'],
            attribute: floats === undefined ? [] : [{ name: 'value', type: 4, t: { dims: [floats.length], data_type: 1, float_data: floats } }],
          },
        ],
        outputs: ['Y'],
      });
    expect(runF32(load(model(undefined)), {})['Y']).toEqual([0, 0, 0]);
    expect(runF32(load(model([2.5])), {})['Y']).toEqual([2.5, 2.5, 2.5]);
    expect(() => load(model([1, 2]))).toThrow(/value must be a one-element tensor, got 2 elements/);
  });

  it('rejects GatherND indices that cannot index the data, and MaxUnpool without a full window', () => {
    const gather = (dims: number[], values: number[]) =>
      graphModel({
        inputs: [['X', [2, 2]]],
        nodes: [
          { op_type: 'Constant', input: [], output: ['I'], attribute: [{ name: 'value', type: 4, t: { dims, data_type: 7, int64_data: values } }] },
          { op_type: 'GatherND', input: ['X', 'I'], output: ['Y'] },
        ],
        outputs: ['Y'],
      });
    expect(runF32(load(gather([2, 2], [0, 1, 1, 0])), { X: [1, 2, 3, 4] })['Y']).toEqual([2, 3]);
    expect(() => load(gather([], [1]))).toThrow(/indices \[\] with batch_dims 0 do not index data of rank 2/);
    expect(() => load(gather([1, 3], [0, 0, 0]))).toThrow(/indices \[1,3\] with batch_dims 0 do not index data of rank 2/);
    const unpool = graphModel({
      inputs: [
        ['X', [1, 1, 2, 2]],
        ['I', [1, 1, 2, 2], 7],
      ],
      nodes: [{ op_type: 'MaxUnpool', input: ['X', 'I'], output: ['Y'], attribute: [{ name: 'strides', type: 7, ints: [2, 2] }] }],
      outputs: ['Y'],
    });
    expect(() => load(unpool)).toThrow(/kernel_shape, strides and pads need 2, 2 and 4 entries for rank 4, got 0, 2 and 0/);
  });

  it('Reshape copies a dim (0) only from a dim the input has', () => {
    const reshape = (shape: number[]) =>
      graphModel({
        inputs: [['X', [2, 3]]],
        nodes: [
          { op_type: 'Constant', input: [], output: ['S'], attribute: [{ name: 'value', type: 4, t: { dims: [shape.length], data_type: 7, int64_data: shape } }] },
          { op_type: 'Reshape', input: ['X', 'S'], output: ['Y'] },
        ],
        outputs: ['Y'],
      });
    expect(load(reshape([0, 3, 1])).outputs[0]?.type.shape).toEqual([2, 3, 1]);
    expect(() => load(reshape([3, 2, 0]))).toThrow(/shape \[3,2,0\] copies \(0\) a dim that input \[2,3\] does not have/);
  });

  it('rejects INT64 values outside the i32 range instead of wrapping them', () => {
    const big = new Uint8Array(new BigInt64Array([1n << 40n]).buffer);
    const m = mlpModel({ nodes: [{ op_type: 'Add', input: ['X', 'W'], output: ['Y'] }], w: { dims: [1], data_type: 7, raw_data: big } });
    expect(() => load({ ...m, graph: { ...(m['graph'] as object), input: [vi('X', 7, [1])] } })).toThrow(/does not fit Kiln's i32/);
  });
});
