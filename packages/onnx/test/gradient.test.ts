// ONNX Gradient (ai.onnx.preview.training) import: the gradient sub-graph built by passes' autodiff,
// checked on the CPU interpreter against hand-derived derivatives, including zs (held fixed), inputs
// other than the xs themselves (the derivative at the fed values), and the cases Kiln rejects.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, type ImportedModel } from '../src/index.js';
import { bytes, graphModel, runF32, type GraphSpec } from './models.js';

const STRINGS = 8;
const STRING = 3;
const names = (attr: string, list: readonly string[]) => ({ name: attr, type: STRINGS, strings: list.map(bytes) });
const model = (s: GraphSpec): ImportedModel => importModel(decodeModel(encodeModel(graphModel(s, [{ domain: 'ai.onnx.preview.training', version: 1 }]))));

const gradient = (inputs: string[], outputs: string[], xs: string[], y: string, zs?: string[]) => ({
  op_type: 'Gradient',
  domain: 'ai.onnx.preview.training',
  input: inputs,
  output: outputs,
  attribute: [names('xs', xs), { name: 'y', type: STRING, s: bytes(y) }, ...(zs !== undefined ? [names('zs', zs)] : [])],
});

const addMul = [
  { op_type: 'Add', input: ['a', 'b'], output: ['c'] },
  { op_type: 'Mul', input: ['c', 'a'], output: ['d'] },
];

describe('onnx Gradient', () => {
  it('d = (a + b) a: dd/da = 2a + b, dd/db = a', () => {
    const m = model({
      inputs: [
        ['a', []],
        ['b', []],
      ],
      nodes: [...addMul, gradient(['a', 'b'], ['da', 'db'], ['a', 'b'], 'd')],
      outputs: ['d', 'da', 'db'],
    });
    expect(runF32(m, { a: [3], b: [-2] })).toEqual({ d: [3], da: [4], db: [3] });
  });

  it('tensor xs with a reduced y: y = Σ x² w gives dy/dx = 2 x w', () => {
    const m = model({
      inputs: [
        ['x', [3]],
        ['w', [3]],
      ],
      nodes: [
        { op_type: 'Mul', input: ['x', 'x'], output: ['x2'] },
        { op_type: 'Mul', input: ['x2', 'w'], output: ['p'] },
        { op_type: 'ReduceSum', input: ['p'], output: ['y'], attribute: [{ name: 'keepdims', type: 2, i: 0 }] },
        gradient(['x', 'w'], ['dx'], ['x'], 'y', ['w']),
      ],
      outputs: ['dx'],
    });
    expect(runF32(m, { x: [1, -2, 0.5], w: [3, 0.25, -4] })).toEqual({ dx: [6, -1, -4] });
  });

  it('zs are held fixed: only dd/da is an output', () => {
    const m = model({
      inputs: [
        ['a', []],
        ['b', []],
      ],
      nodes: [...addMul, gradient(['a', 'b'], ['da'], ['a'], 'd', ['b'])],
      outputs: ['da'],
    });
    expect(runF32(m, { a: [1.5], b: [4] })).toEqual({ da: [7] });
  });

  it('differentiates at the values fed to the node, not at the forward graph values', () => {
    // The forward graph computes c = a·a; Gradient is fed p for a, so its output is 2p.
    const m = model({
      inputs: [
        ['a', [2]],
        ['p', [2]],
      ],
      nodes: [
        { op_type: 'Mul', input: ['a', 'a'], output: ['c'] },
        { op_type: 'ReduceSum', input: ['c'], output: ['s'], attribute: [{ name: 'keepdims', type: 2, i: 0 }] },
        gradient(['p'], ['dp'], ['a'], 's'),
      ],
      outputs: ['s', 'dp'],
    });
    expect(runF32(m, { a: [1, 2], p: [5, -3] })).toEqual({ s: [5], dp: [10, -6] });
  });

  it('a y that does not depend on x has a zero gradient', () => {
    const m = model({
      inputs: [
        ['a', []],
        ['b', []],
      ],
      nodes: [{ op_type: 'Neg', input: ['b'], output: ['y'] }, gradient(['a'], ['da'], ['a'], 'y')],
      outputs: ['da'],
    });
    expect(runF32(m, { a: [2], b: [1] })).toEqual({ da: [0] });
  });

  it('rejects what it cannot differentiate, naming the op and node', () => {
    const two = {
      inputs: [
        ['a', [2]],
        ['b', [2]],
      ] as const,
      outputs: ['da'],
    };
    const named = (n: Record<string, unknown>) => ({ ...n, name: 'g1' });
    expect(() => model({ ...two, nodes: [{ op_type: 'Add', input: ['a', 'b'], output: ['c'] }, named(gradient(['a'], ['da'], ['a'], 'c'))] })).toThrow(
      /Gradient "g1".*unsupported: y "c" is f32\[2\]; Kiln differentiates a single-element f32 y/,
    );
    expect(() => model({ ...two, nodes: [named(gradient(['a'], ['da'], ['a'], 'nowhere'))] })).toThrow(/Gradient "g1".*"nowhere" is not defined before use/);
    expect(() => model({ ...two, nodes: [named(gradient(['a'], ['da'], ['a', 'b'], 'a'))] })).toThrow(/Gradient "g1".*one input per name of xs then zs \(2\), got 1/);
    expect(() => model({ ...two, nodes: [named(gradient(['a', 'a'], ['da'], ['a'], 'a', ['a']))] })).toThrow(/xs and zs name a tensor twice/);
    expect(() => model({ ...two, nodes: [named({ ...gradient(['a'], ['da'], ['a'], 'a'), attribute: [names('xs', ['a'])] })] })).toThrow(/attribute y must name exactly one tensor/);
    expect(() => model({ inputs: [['i', [], 6]], outputs: ['di'], nodes: [named(gradient(['i'], ['di'], ['i'], 'i'))] })).toThrow(
      /cannot differentiate with respect to "i" of type i32/,
    );
  });
});
