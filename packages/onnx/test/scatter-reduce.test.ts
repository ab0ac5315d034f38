// ScatterND with reduction mul, min and max (indices known at import), duplicates included, against
// values worked out by hand; indices from a graph input ask for a static binding.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, NeedsStaticInput, type ImportedModel } from '../src/index.js';
import { graphModel, runF32, type GraphSpec } from './models.js';

const spec = (reduction: string, indices: number[]): GraphSpec => ({
  inputs: [
    ['X', [3, 2]],
    ['U', [indices.length, 2]],
  ],
  initializers: [{ name: 'I', dims: [indices.length, 1], data_type: 7, int64_data: indices }],
  nodes: [{ op_type: 'ScatterND', input: ['X', 'I', 'U'], output: ['Y'], attribute: [{ name: 'reduction', type: 3, s: new TextEncoder().encode(reduction) }] }],
  outputs: ['Y'],
});
const model = (s: GraphSpec): ImportedModel => importModel(decodeModel(encodeModel({ ...graphModel(s), opset_import: [{ domain: '', version: 18 }] })));
const X = [1, 2, 3, 4, 5, 6];
const U = [2, 10, -1, 0.5, 3, 3]; // rows 0, 2, 0 (row 0 is hit twice, with -1 as the last index)

describe('onnx ScatterND reductions', () => {
  it('mul, min and max fold every update into its row, duplicates too', () => {
    expect(runF32(model(spec('mul', [0, 2, -3])), { X, U })).toEqual({ Y: [6, 60, 3, 4, -5, 3] });
    expect(runF32(model(spec('min', [0, 2, -3])), { X, U })).toEqual({ Y: [1, 2, 3, 4, -1, 0.5] });
    expect(runF32(model(spec('max', [0, 2, -3])), { X, U })).toEqual({ Y: [3, 10, 3, 4, 5, 6] });
  });

  it('out-of-range indices are an error; indices from a graph input need binding', () => {
    expect(() => model(spec('mul', [0, 3, 1]))).toThrow(/ScatterND.*index 3 of update #1 is out of range for dim 0 of size 3/);
    const s = spec('max', [0, 1]);
    expect(() => model({ ...s, initializers: [], inputs: [...s.inputs, ['I', [2, 1], 7]] })).toThrow(NeedsStaticInput);
  });

  it('index tuples longer than the data rank, or rank-0 indices, are an error naming the shapes', () => {
    const tooLong = { ...spec('mul', [0]), initializers: [{ name: 'I', dims: [1, 3], data_type: 7, int64_data: [0, 0, 0] }] };
    expect(() => model(tooLong)).toThrow(/ScatterND.*indices \[1,3\] do not index data of rank 2/);
    const scalar = { ...spec('min', [0]), initializers: [{ name: 'I', dims: [], data_type: 7, int64_data: [0] }] };
    expect(() => model(scalar)).toThrow(/ScatterND.*indices \[\] do not index data of rank 2/);
  });
});
