// ONNX sequences resolved at import time: construct / insert / erase / at / length, SplitToSequence
// and ConcatFromSequence, checked on the CPU interpreter against hand-derived values; positions must
// be known at import time, and anything else is a KilnError naming the op.

import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import { decodeModel, encodeModel, importModel, NeedsStaticInput, type ImportedModel, type ImportOptions } from '../src/index.js';
import { graphModel, runF32, type GraphSpec } from './models.js';

const INT = 2;
const model = (s: GraphSpec, opts: ImportOptions = {}): ImportedModel => importModel(decodeModel(encodeModel(graphModel(s))), opts);
const int64 = (name: string, v: number) => ({ name, dims: [], data_type: 7, int64_data: [v] });
const node = (op_type: string, input: string[], output: string, attribute: Record<string, unknown>[] = []) => ({ op_type, input, output: [output], attribute });
const ints = (name: string, i: number) => ({ name, type: INT, i });

const X = [1, 2, 3, 4, 5, 6]; // [2, 3]
const Y = [10, 20, 30]; // [1, 3]
const Z = [-1, -2, -3, -4, -5, -6, -7, -8, -9]; // [3, 3]
const xyz: GraphSpec['inputs'] = [
  ['X', [2, 3]],
  ['Y', [1, 3]],
  ['Z', [3, 3]],
];

describe('onnx sequences', () => {
  it('insert at a position, then at and length: [X, Z, Y]', () => {
    const m = model({
      inputs: xyz,
      initializers: [int64('one', 1), int64('last', -1)],
      nodes: [
        node('SequenceEmpty', [], 's0'),
        node('SequenceInsert', ['s0', 'X'], 's1'),
        node('SequenceInsert', ['s1', 'Y'], 's2'),
        node('SequenceInsert', ['s2', 'Z', 'one'], 's3'),
        node('SequenceAt', ['s3', 'last'], 'at_last'),
        node('SequenceAt', ['s3', 'one'], 'at_one'),
        node('SequenceLength', ['s3'], 'n'),
      ],
      outputs: ['at_last', 'at_one', 'n'],
    });
    expect(m.outputs.map((o) => o.type.shape)).toEqual([[1, 3], [3, 3], []]);
    expect(runF32(m, { X, Y, Z })).toEqual({ at_last: Y, at_one: Z, n: [3] });
  });

  it('erase: the last item by default, or at a position', () => {
    const m = model({
      inputs: [
        ['X', [2, 3]],
        ['Y', [2, 3]],
        ['Z', [2, 3]],
      ],
      initializers: [int64('zero', 0), int64('minus1', -1)],
      nodes: [
        node('SequenceConstruct', ['X', 'Y', 'Z'], 's'),
        node('SequenceErase', ['s'], 'no_last'),
        node('SequenceErase', ['no_last', 'zero'], 'only_y'),
        node('SequenceAt', ['only_y', 'minus1'], 'y'),
        node('SequenceLength', ['only_y'], 'n'),
      ],
      outputs: ['y', 'n'],
    });
    const Y6 = [7, 8, 9, 10, 11, 12];
    expect(runF32(m, { X, Y: Y6, Z: X })).toEqual({ y: Y6, n: [1] });
  });

  it('SplitToSequence into columns, then ConcatFromSequence stacks them back', () => {
    const m = model({
      inputs: [['X', [2, 3]]],
      initializers: [int64('two', 2), int64('one', 1)],
      nodes: [
        node('SplitToSequence', ['X'], 'cols', [ints('axis', 1), ints('keepdims', 0)]),
        node('ConcatFromSequence', ['cols'], 'stacked', [ints('axis', -1), ints('new_axis', 1)]),
        node('SequenceAt', ['cols', 'one'], 'col1'),
        node('SplitToSequence', ['X', 'two'], 'chunks', [ints('axis', 1)]),
        node('SequenceAt', ['chunks', 'one'], 'tail'),
        node('ConcatFromSequence', ['chunks'], 'joined', [ints('axis', 1)]),
        node('SequenceLength', ['chunks'], 'n'),
      ],
      outputs: ['stacked', 'col1', 'tail', 'joined', 'n'],
    });
    expect(m.outputs.map((o) => o.type.shape)).toEqual([[2, 3], [2], [2, 1], [2, 3], []]);
    const r = runF32(m, { X });
    expect(r['stacked']).toEqual(X);
    expect(r['col1']).toEqual([2, 5]);
    expect(r['tail']).toEqual([3, 6]);
    expect(r['joined']).toEqual(X);
    expect(r['n']).toEqual([2]);
  });

  it('sequence graph inputs and outputs: one Kiln value per item, at the lengths given at import', () => {
    const spec: GraphSpec = { inputs: [['T', [2]]], sequenceInputs: ['S'], nodes: [node('SequenceInsert', ['S', 'T'], 'out')], outputs: ['out'] };
    expect(() => model(spec)).toThrow(/unsupported: graph input "S" is a sequence of unknown length; give its item shapes \(sequenceInputs\)/);
    const m = model(spec, { sequenceInputs: { S: [[3], [1]] } });
    expect(m.inputs.map((i) => [i.onnxName, i.item, i.type.shape])).toEqual([
      ['T', undefined, [2]],
      ['S', 0, [3]],
      ['S', 1, [1]],
    ]);
    expect(m.outputs.map((o) => [o.onnxName, o.item, o.type.shape])).toEqual([
      ['out', 0, [3]],
      ['out', 1, [1]],
      ['out', 2, [2]],
    ]);
    expect(runF32(m, { T: [7, 8], 'S#0': [1, 2, 3], 'S#1': [4] })).toEqual({ 'out#0': [1, 2, 3], 'out#1': [4], 'out#2': [7, 8] });
  });

  it('SequenceMap inlines its body per item: a sequence input gives item k, a tensor input the same tensor', () => {
    const body = {
      name: 'body',
      node: [node('Mul', ['a', 'w'], 'p'), node('Shape', ['a'], 'n')],
      input: [{ name: 'a' }, { name: 'w' }],
      output: [{ name: 'p' }, { name: 'n' }],
    };
    const spec: GraphSpec = {
      inputs: [['W', [2]]],
      sequenceInputs: ['S'],
      nodes: [{ op_type: 'SequenceMap', input: ['S', 'W'], output: ['prods', 'shapes'], attribute: [{ name: 'body', type: 5, g: body }] }],
      outputs: ['prods', 'shapes'],
    };
    const m = model(spec, { sequenceInputs: { S: [[2], [2], [2]] } });
    expect(runF32(m, { W: [10, -1], 'S#0': [1, 2], 'S#1': [3, 4], 'S#2': [5, 6] })).toEqual({
      'prods#0': [10, -2],
      'prods#1': [30, -4],
      'prods#2': [50, -6],
      'shapes#0': [2],
      'shapes#1': [2],
      'shapes#2': [2],
    });
    expect(() => model({ ...spec, nodes: [{ ...spec.nodes[0], input: ['W', 'W'] }] }, { sequenceInputs: { S: [[2]] } })).toThrow(/SequenceMap.*input #0 "W" is not a sequence/);
  });

  it('a position computed at run time, or a graph input, is not guessed', () => {
    const dynamic = {
      inputs: [
        ['X', [2, 3]],
        ['F', []],
      ] as GraphSpec['inputs'],
      nodes: [node('SequenceConstruct', ['X', 'X'], 's'), node('Cast', ['F'], 'p', [ints('to', 7)]), node('SequenceAt', ['s', 'p'], 'y')],
      outputs: ['y'],
    };
    expect(() => model(dynamic)).toThrow(/SequenceAt.*position \(input #1 "p"\) must be known at import time/);
    const fromInput = {
      inputs: [
        ['X', [2, 3]],
        ['P', [], 7],
      ] as GraphSpec['inputs'],
      nodes: [node('SequenceConstruct', ['X'], 's'), node('SequenceAt', ['s', 'P'], 'y')],
      outputs: ['y'],
    };
    expect(() => model(fromInput)).toThrow(NeedsStaticInput);
  });

  it('rejects out-of-range positions, sequences used as tensors and empty concatenation', () => {
    const base = { inputs: [['X', [2, 3]]] as GraphSpec['inputs'], initializers: [int64('two', 2), int64('three', 3)], outputs: ['y'] };
    const seq = node('SequenceConstruct', ['X', 'X'], 's');
    expect(() => model({ ...base, nodes: [seq, node('SequenceAt', ['s', 'two'], 'y')] })).toThrow(/position 2 is out of range for a sequence of length 2 \(\[-2, 1\]\)/);
    expect(() => model({ ...base, nodes: [seq, node('SequenceInsert', ['s', 'X', 'three'], 'y')] })).toThrow(/position 3 is out of range for a sequence of length 2 \(\[-2, 2\]\)/);
    expect(() => model({ ...base, nodes: [seq, node('Relu', ['s'], 'y')] })).toThrow(/"s" is a sequence, used where a tensor is expected/);
    expect(() => model({ ...base, nodes: [node('SequenceAt', ['X', 'two'], 'y')] })).toThrow(/SequenceAt.*input #0 "X" is not a sequence/);
    expect(() => model({ ...base, nodes: [node('SequenceEmpty', [], 's'), node('ConcatFromSequence', ['s'], 'y', [ints('axis', 0)])] })).toThrow(/cannot concatenate an empty sequence/);
    const body = { name: 'body', node: [node('Add', ['a', 'b'], 'c')], input: [{ name: 'a' }, { name: 'b' }], output: [{ name: 'c' }] };
    const map = { op_type: 'SequenceMap', input: ['s', 't'], output: ['y'], attribute: [{ name: 'body', type: 5, g: body }] };
    expect(() => model({ ...base, nodes: [seq, node('SequenceConstruct', ['X'], 't'), map] })).toThrow(KilnError);
    expect(() => model({ ...base, nodes: [seq, node('SequenceConstruct', ['X'], 't'), map] })).toThrow(/SequenceMap.*its sequence inputs differ in length \(2, 1\)/);
    expect(() => model({ ...base, nodes: [node('SplitToSequence', ['X', 'two'], 's', [ints('axis', 0)]), node('SequenceAt', ['s', 'two'], 'y')] })).toThrow(
      /position 2 is out of range for a sequence of length 1/,
    );
  });
});
