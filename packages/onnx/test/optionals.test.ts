// ONNX optionals fixed at import: an optional graph input is bound as absent, a tensor or a
// sequence; OptionalHasElement is then a constant and OptionalGetElement the wrapped value itself.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, type ImportedModel, type ImportOptions } from '../src/index.js';
import { graphModel, runF32, type GraphSpec } from './models.js';

const node = (op_type: string, input: string[], output: string) => ({ op_type, input, output: [output] });
const optionalTensor = { name: 'O', type: { optional_type: { elem_type: { tensor_type: { elem_type: 1 } } } } };

function model(s: GraphSpec, opts: ImportOptions): ImportedModel {
  // graphModel declares tensor inputs only: the optional input is appended, at opset 18.
  const m = graphModel(s);
  const g = m['graph'] as Record<string, unknown[]>;
  return importModel(decodeModel(encodeModel({ ...m, opset_import: [{ domain: '', version: 18 }], graph: { ...g, input: [...(g['input'] ?? []), optionalTensor] } })), opts);
}

const spec: GraphSpec = {
  inputs: [],
  nodes: [node('OptionalHasElement', ['O'], 'has'), node('OptionalGetElement', ['O'], 'x'), node('Neg', ['x'], 'y')],
  outputs: ['has', 'y'],
};

describe('onnx optionals', () => {
  it('a present optional tensor: has = true, get = the tensor', () => {
    const m = model(spec, { optionalInputs: { O: { kind: 'tensor', shape: [2] } } });
    expect(m.inputs.map((i) => [i.onnxName, i.type.shape])).toEqual([['O', [2]]]);
    expect(runF32(m, { O: [1.5, -2] })).toEqual({ has: [1], y: [-1.5, 2] });
  });

  it('an absent optional: has = false; getting its element is an error naming the node', () => {
    const m = model({ ...spec, nodes: [node('OptionalHasElement', ['O'], 'has')], outputs: ['has'] }, { optionalInputs: { O: { kind: 'none' } } });
    expect(m.inputs).toEqual([]);
    expect(runF32(m, {})).toEqual({ has: [0] });
    expect(() => model(spec, { optionalInputs: { O: { kind: 'none' } } })).toThrow(/OptionalGetElement.*optional "O" is empty \(known at import time\)/);
  });

  it('an optional used as a tensor, or left unbound, is a clear error', () => {
    expect(() => model({ ...spec, nodes: [node('Neg', ['O'], 'y')], outputs: ['y'] }, { optionalInputs: { O: { kind: 'tensor', shape: [2] } } })).toThrow(
      /"O" is an optional, used where a tensor is expected/,
    );
    expect(() => model(spec, {})).toThrow(/unsupported: graph input "O" is optional; say whether it holds a value \(optionalInputs\)/);
  });
});
