// Compress and NonZero, whose result shapes depend on data: supported when that data is known at
// import time (here initializers), asking for a static binding when it is a graph input.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, NeedsStaticInput, type ImportedModel } from '../src/index.js';
import { graphModel, runF32, type GraphSpec } from './models.js';

const model = (s: GraphSpec): ImportedModel => importModel(decodeModel(encodeModel(graphModel(s))));
const bools = (name: string, dims: number[], v: number[]) => ({ name, dims, data_type: 9, int32_data: v });
const X = [1, 2, 3, 4, 5, 6]; // [3, 2]

describe('onnx Compress and NonZero', () => {
  it('Compress keeps the rows (or, without axis, the flat elements) whose condition is true', () => {
    const rows = model({ inputs: [['X', [3, 2]]], initializers: [bools('C', [3], [1, 0, 1])], nodes: [{ op_type: 'Compress', input: ['X', 'C'], output: ['Y'], attribute: [{ name: 'axis', type: 2, i: 0 }] }], outputs: ['Y'] });
    expect(rows.outputs[0]?.type.shape).toEqual([2, 2]);
    expect(runF32(rows, { X })).toEqual({ Y: [1, 2, 5, 6] });
    // A condition shorter than the axis keeps only among its entries.
    const flat = model({ inputs: [['X', [3, 2]]], initializers: [bools('C', [4], [0, 1, 0, 1])], nodes: [{ op_type: 'Compress', input: ['X', 'C'], output: ['Y'] }], outputs: ['Y'] });
    expect(runF32(flat, { X })).toEqual({ Y: [2, 4] });
  });

  it('NonZero of a known tensor is a constant of coordinates, one row per dimension', () => {
    const m = model({ inputs: [], initializers: [bools('C', [2, 3], [0, 1, 0, 1, 0, 1])], nodes: [{ op_type: 'NonZero', input: ['C'], output: ['Y'] }], outputs: ['Y'] });
    expect(m.outputs[0]?.type.shape).toEqual([2, 3]);
    expect(runF32(m, {})).toEqual({ Y: [0, 1, 1, 1, 0, 2] });
  });

  it('a condition from a graph input asks for a static binding; a condition computed at run time is an error', () => {
    expect(() => model({ inputs: [['X', [3, 2]], ['C', [3], 9]], nodes: [{ op_type: 'Compress', input: ['X', 'C'], output: ['Y'] }], outputs: ['Y'] })).toThrow(NeedsStaticInput);
    expect(() => model({ inputs: [['X', [3, 2]]], nodes: [{ op_type: 'Greater', input: ['X', 'X'], output: ['G'] }, { op_type: 'NonZero', input: ['G'], output: ['Y'] }], outputs: ['Y'] })).toThrow(/NonZero.*input \(input #0 "G"\) must be known at import time/);
  });
});
