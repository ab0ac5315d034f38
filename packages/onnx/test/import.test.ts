// Importer diagnostics: what Kiln cannot run is named (op and opset, attribute, dtype), never
// approximated; shape inputs computed from graph inputs ask for static binding; and a model's
// initializers become state inputs with their values.

import { describe, expect, it } from 'vitest';
import { interpret } from '@kiln/ir';
import { decodeModel, encodeModel, importModel, NeedsStaticInput } from '../src/index.js';
import { mlpModel } from './models.js';

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
    expect(() => load(mlpModel({ nodes: [{ op_type: 'Relu', input: ['X'], output: ['Y'], attribute: [{ name: 'speed', type: 2, i: 3 }] }] }))).toThrow(/unsupported attribute speed of Relu/);
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

  it('rejects INT64 values outside the i32 range instead of wrapping them', () => {
    const big = new Uint8Array(new BigInt64Array([1n << 40n]).buffer);
    const m = mlpModel({ nodes: [{ op_type: 'Add', input: ['X', 'W'], output: ['Y'] }], w: { dims: [1], data_type: 7, raw_data: big } });
    expect(() => load({ ...m, graph: { ...(m['graph'] as object), input: [vi('X', 7, [1])] } })).toThrow(/does not fit Kiln's i32/);
  });
});
