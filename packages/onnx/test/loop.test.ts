// ONNX Loop unrolled at import: the trip count and every condition must be known when the model is
// imported; loop-carried values thread through the copies of the body and scan outputs are stacked
// on a new first axis. Checked on the CPU interpreter against values worked out by hand.

import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, decodeModel, encodeModel, importModel, NeedsStaticInput, type ImportedModel } from '../src/index.js';
import { graphModel, runF32, type GraphSpec } from './models.js';

const model = (s: GraphSpec, maxNodes?: number): ImportedModel =>
  importModel(decodeModel(encodeModel(graphModel(s))), maxNodes === undefined ? {} : { limits: { ...DEFAULT_LIMITS, maxNodes } });
const node = (op_type: string, input: string[], output: string, attribute: Record<string, unknown>[] = []) => ({ op_type, input, output: [output], attribute });
const int64 = (name: string, v: number) => ({ name, dims: [], data_type: 7, int64_data: [v] });
const bool = (name: string, v: boolean) => ({ name, dims: [], data_type: 9, int32_data: [v ? 1 : 0] });
const constant = (name: string, t: Record<string, unknown>) => node('Constant', [], name, [{ name: 'value', type: 4, t }]);

/** y_out = y_in + float(iter); scan = y_out; cond_out from `condNodes` (default: cond_in). */
function loopModel(inputs: string[], condNodes: Record<string, unknown>[] = [node('Identity', ['cond_in'], 'cond_out')], extra: Partial<GraphSpec> = {}): GraphSpec {
  const body = {
    name: 'body',
    node: [...condNodes, node('Cast', ['iter'], 'it', [{ name: 'to', type: 2, i: 1 }]), node('Add', ['y_in', 'it'], 'y_out'), node('Identity', ['y_out'], 'scan')],
    input: [{ name: 'iter' }, { name: 'cond_in' }, { name: 'y_in' }],
    output: [{ name: 'cond_out' }, { name: 'y_out' }, { name: 'scan' }],
  };
  return {
    inputs: [['Y', [1]]],
    initializers: [int64('M', 4), bool('T', true)],
    nodes: [{ op_type: 'Loop', input: inputs, output: ['y', 'ys'], attribute: [{ name: 'body', type: 5, g: body }] }],
    outputs: ['y', 'ys'],
    ...extra,
  };
}

describe('onnx Loop (unrolled at import)', () => {
  it('a static trip count: y = Y + 0 + 1 + 2 + 3, the scan output stacks every step', () => {
    const m = model(loopModel(['M', 'T', 'Y']));
    expect(m.outputs.map((o) => o.type.shape)).toEqual([[1], [4, 1]]);
    expect(runF32(m, { Y: [10] })).toEqual({ y: [16], ys: [10, 11, 13, 16] });
  });

  it('a condition known at import time stops the loop (cond_out = iter < 1: two iterations)', () => {
    const stop = [constant('one', int64('one', 1)), node('Less', ['iter', 'one'], 'cond_out')];
    expect(runF32(model(loopModel(['M', 'T', 'Y'], stop)), { Y: [10] })).toEqual({ y: [11], ys: [10, 11] });
    // No trip count at all: the condition alone ends it.
    expect(runF32(model(loopModel(['', 'T', 'Y'], stop)), { Y: [10] })).toEqual({ y: [11], ys: [10, 11] });
  });

  it('a condition computed at run time, or a trip count from a graph input, is not guessed', () => {
    const dynamic = [constant('zero', { dims: [1], data_type: 1, float_data: [0] }), node('Greater', ['y_in', 'zero'], 'c1'), node('Squeeze', ['c1'], 'cond_out')];
    expect(() => model(loopModel(['M', 'T', 'Y'], dynamic))).toThrow(/Loop.*unsupported: a Loop whose condition is computed at run time/);
    expect(() =>
      model(
        loopModel(['N', 'T', 'Y'], undefined, {
          inputs: [
            ['Y', [1]],
            ['N', [], 7],
          ],
        }),
      ),
    ).toThrow(NeedsStaticInput);
    // Too many iterations for the node limit, or no trip count and a condition that stays true:
    // unrolling stops at the limit.
    expect(() => model(loopModel(['M', 'T', 'Y']), 15)).toThrow(/the model unrolls to more than 15 nodes \(the limit\)/);
    expect(() => model(loopModel(['', 'T', 'Y']), 1000)).toThrow(/the model unrolls to more than 1000 nodes \(the limit\)/);
  });
});

describe('onnx Scan (unrolled at import)', () => {
  const body = {
    name: 'body',
    node: [node('Add', ['sum_in', 'next'], 'sum_out'), node('Identity', ['sum_out'], 'scan_out')],
    input: [{ name: 'sum_in' }, { name: 'next' }],
    output: [{ name: 'sum_out' }, { name: 'scan_out' }],
  };
  const scan = (attrs: Record<string, unknown>[]): GraphSpec => ({
    inputs: [
      ['S', [2]],
      ['X', [3, 2]],
    ],
    nodes: [{ op_type: 'Scan', input: ['S', 'X'], output: ['y', 'z'], attribute: [{ name: 'body', type: 5, g: body }, { name: 'num_scan_inputs', type: 2, i: 1 }, ...attrs] }],
    outputs: ['y', 'z'],
  });
  const X = [1, 2, 3, 4, 5, 6];

  it('running sums over the rows of X; the state is the total', () => {
    expect(runF32(model(scan([])), { S: [0, 10], X })).toEqual({ y: [9, 22], z: [1, 12, 4, 16, 9, 22] });
  });

  it('a reversed scan input visits the rows last to first; a reversed scan output is stacked back to front', () => {
    const ints = (name: string, v: number[]) => ({ name, type: 7, ints: v });
    expect(runF32(model(scan([ints('scan_input_directions', [1])])), { S: [0, 0], X })).toEqual({ y: [9, 12], z: [5, 6, 8, 10, 9, 12] });
    expect(runF32(model(scan([ints('scan_output_directions', [1])])), { S: [0, 0], X })).toEqual({ y: [9, 12], z: [9, 12, 4, 6, 1, 2] });
    // Stacking on axis 1 instead of 0: z is [2, 3], column t holding step t.
    expect(runF32(model(scan([ints('scan_output_axes', [1])])), { S: [0, 0], X })).toEqual({ y: [9, 12], z: [1, 4, 9, 2, 6, 12] });
  });
});

describe('onnx unrolling limits', () => {
  it('nested loops count against one node budget for the whole model', () => {
    const inner = {
      name: 'inner',
      node: [node('Identity', ['ci'], 'co'), node('Add', ['yi', 'yi'], 'yo')],
      input: [{ name: 'ii' }, { name: 'ci' }, { name: 'yi' }],
      output: [{ name: 'co' }, { name: 'yo' }],
    };
    const outer = {
      name: 'outer',
      node: [node('Identity', ['c_in'], 'c_out'), { op_type: 'Loop', input: ['K', 'T', 'y_in'], output: ['y_out'], attribute: [{ name: 'body', type: 5, g: inner }] }],
      input: [{ name: 'i' }, { name: 'c_in' }, { name: 'y_in' }],
      output: [{ name: 'c_out' }, { name: 'y_out' }],
    };
    // Each loop alone fits the limit of 1000 nodes (100 iterations of 2), together they lower 100 · 100 · 2.
    const spec: GraphSpec = {
      inputs: [['Y', [1]]],
      initializers: [int64('M', 100), int64('K', 100), bool('T', true)],
      nodes: [{ op_type: 'Loop', input: ['M', 'T', 'Y'], output: ['y'], attribute: [{ name: 'body', type: 5, g: outer }] }],
      outputs: ['y'],
    };
    expect(() => model(spec, 1000)).toThrow(/the model unrolls to more than 1000 nodes \(the limit\)/);
    expect(() => model({ ...spec, initializers: [int64('M', 10), int64('K', 10), bool('T', true)] }, 1000)).not.toThrow();
  });
});
