// Ops whose result shapes depend on data (Compress, NonZero, Unique, NonMaxSuppression): supported
// when that data is known at import time (here initializers), checked against values worked out by
// hand; data from a graph input asks for a static binding, data computed at run time is an error.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, NeedsStaticInput, type ImportedModel } from '../src/index.js';
import { graphModel, runF32, type GraphSpec } from './models.js';

const model = (s: GraphSpec): ImportedModel => importModel(decodeModel(encodeModel(graphModel(s))));
const bools = (name: string, dims: number[], v: number[]) => ({ name, dims, data_type: 9, int32_data: v });
const X = [1, 2, 3, 4, 5, 6]; // [3, 2]

describe('onnx Compress and NonZero', () => {
  it('Compress keeps the rows (or, without axis, the flat elements) whose condition is true', () => {
    const rows = model({
      inputs: [['X', [3, 2]]],
      initializers: [bools('C', [3], [1, 0, 1])],
      nodes: [{ op_type: 'Compress', input: ['X', 'C'], output: ['Y'], attribute: [{ name: 'axis', type: 2, i: 0 }] }],
      outputs: ['Y'],
    });
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
    expect(() =>
      model({
        inputs: [
          ['X', [3, 2]],
          ['C', [3], 9],
        ],
        nodes: [{ op_type: 'Compress', input: ['X', 'C'], output: ['Y'] }],
        outputs: ['Y'],
      }),
    ).toThrow(NeedsStaticInput);
    expect(() =>
      model({
        inputs: [['X', [3, 2]]],
        nodes: [
          { op_type: 'Greater', input: ['X', 'X'], output: ['G'] },
          { op_type: 'NonZero', input: ['G'], output: ['Y'] },
        ],
        outputs: ['Y'],
      }),
    ).toThrow(/NonZero.*input \(input #0 "G"\) must be known at import time/);
  });
});

describe('onnx Unique (input known at import)', () => {
  const unique = (attrs: Record<string, unknown>[], dims: number[], values: number[]) =>
    model({
      inputs: [],
      initializers: [{ name: 'X', dims, data_type: 1, float_data: values }],
      nodes: [{ op_type: 'Unique', input: ['X'], output: ['Y', 'first', 'inverse', 'counts'], attribute: attrs }],
      outputs: ['Y', 'first', 'inverse', 'counts'],
    });

  it('flattened, sorted by default or in order of first occurrence', () => {
    const X = [2, 1, 1, 3, 4, 3];
    expect(runF32(unique([], [6], X), {})).toEqual({ Y: [1, 2, 3, 4], first: [1, 0, 3, 4], inverse: [1, 0, 0, 2, 3, 2], counts: [2, 1, 2, 1] });
    expect(runF32(unique([{ name: 'sorted', type: 2, i: 0 }], [6], X), {})).toEqual({ Y: [2, 1, 3, 4], first: [0, 1, 3, 4], inverse: [0, 1, 1, 2, 3, 2], counts: [1, 2, 2, 1] });
  });

  it('along an axis: unique rows, sorted lexicographically', () => {
    const m = unique([{ name: 'axis', type: 2, i: 0 }], [3, 2], [2, 0, 1, 5, 2, 0]);
    expect(m.outputs[0]?.type.shape).toEqual([2, 2]);
    expect(runF32(m, {})).toEqual({ Y: [1, 5, 2, 0], first: [1, 0], inverse: [1, 0, 1], counts: [1, 2] });
  });
});

describe('onnx NonMaxSuppression (inputs known at import)', () => {
  const f32 = (name: string, dims: number[], values: number[]) => ({ name, dims, data_type: 1, float_data: values });
  const nms = (boxes: number[], scores: number[], maxOut: number, iouT: number) =>
    model({
      inputs: [],
      initializers: [
        f32('B', [1, boxes.length / 4, 4], boxes),
        f32('S', [1, 1, scores.length], scores),
        { name: 'M', dims: [], data_type: 7, int64_data: [maxOut] },
        f32('I', [], [iouT]),
      ],
      nodes: [{ op_type: 'NonMaxSuppression', input: ['B', 'S', 'M', 'I'], output: ['Y'] }],
      outputs: ['Y'],
    });
  // Box 1 lies inside box 0: IoU = 0.81 / (1 + 0.81 - 0.81) = 0.81; box 2 is far away.
  const boxes = [0, 0, 1, 1, 0.1, 0.1, 1, 1, 5, 5, 6, 6];

  it('selects by score, suppressing overlaps above the IoU threshold, at most max boxes per class', () => {
    expect(runF32(nms(boxes, [0.9, 0.95, 0.5], 3, 0.5), {})).toEqual({ Y: [0, 0, 1, 0, 0, 2] });
    expect(runF32(nms(boxes, [0.9, 0.95, 0.5], 3, 0.85), {})).toEqual({ Y: [0, 0, 1, 0, 0, 0, 0, 0, 2] });
    expect(runF32(nms(boxes, [0.9, 0.95, 0.5], 1, 0.85), {})).toEqual({ Y: [0, 0, 1] });
  });

  it('boxes from a graph input ask for a static binding', () => {
    const s = {
      inputs: [['B', [1, 3, 4]]] as GraphSpec['inputs'],
      initializers: [f32('S', [1, 1, 3], [1, 1, 1])],
      nodes: [{ op_type: 'NonMaxSuppression', input: ['B', 'S'], output: ['Y'] }],
      outputs: ['Y'],
    };
    expect(() => model(s)).toThrow(NeedsStaticInput);
  });
});
