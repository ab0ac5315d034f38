// ai.onnx.preview.training optimizers against the spec's formulas evaluated by hand (in f64, see the
// numbers below): Adam's default epsilon is the spec's 1e-6 (not 0), and Momentum's required
// attributes are not defaulted.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, type ImportedModel } from '../src/index.js';
import { bytes, graphModel, runF32, type GraphSpec } from './models.js';

const FLOAT = 1;
const model = (s: GraphSpec): ImportedModel => importModel(decodeModel(encodeModel(graphModel(s, [{ domain: 'ai.onnx.preview.training', version: 1 }]))));
const float = (name: string, f: number) => ({ name, type: FLOAT, f });
const int64 = (name: string, v: number) => ({ name, dims: [], data_type: 7, int64_data: [v] });

function adam(t: number, attrs: Record<string, unknown>[]): Record<string, number[]> {
  const m = model({
    inputs: [
      ['R', []],
      ['X', [1]],
      ['G', [1]],
      ['V', [1]],
      ['H', [1]],
    ],
    initializers: [int64('T', t)],
    nodes: [{ op_type: 'Adam', domain: 'ai.onnx.preview.training', input: ['R', 'T', 'X', 'G', 'V', 'H'], output: ['X_new', 'V_new', 'H_new'], attribute: attrs }],
    outputs: ['X_new', 'V_new', 'H_new'],
  });
  return runF32(m, { R: [0.1], X: [1], G: [-1], V: [2], H: [0.5] });
}

const close = (got: number[] | undefined, want: number): void => {
  expect(got?.length).toBe(1);
  expect(Math.abs((got?.[0] ?? NaN) - want)).toBeLessThan(2e-6);
};

describe('onnx training optimizers', () => {
  const attrs = [float('alpha', 0.95), float('beta', 0.85), float('norm_coefficient', 0.001)];

  it('Adam without epsilon uses the spec default 1e-6 (test_adam_multiple inputs)', () => {
    // g = 0.001·1 − 1 = −0.999; v = 0.95·2 + 0.05·g = 1.85005; h = 0.85·0.5 + 0.15·g² = 0.57470015;
    // x' = 1 − 0.1·v / (√h + 1e-6) = 0.7559593136.
    const r = adam(0, attrs);
    close(r['X_new'], 0.7559593136160893);
    close(r['V_new'], 1.85005);
    close(r['H_new'], 0.57470015);
  });

  it('an explicit epsilon is used, and T > 0 applies the bias correction', () => {
    close(adam(0, [...attrs, float('epsilon', 1e-2)])['X_new'], 0.7591362374762826);
    // r' = 0.1·√(1 − 0.85³) / (1 − 0.95³) with epsilon 1e-6: x' = −0.0628938682.
    close(adam(3, attrs)['X_new'], -0.06289386819848386);
  });

  it('Momentum requires alpha, beta, mode and norm_coefficient (the spec gives no defaults)', () => {
    const momentum = (attribute: Record<string, unknown>[]) =>
      model({
        inputs: [
          ['R', []],
          ['X', [1]],
          ['G', [1]],
          ['V', [1]],
        ],
        initializers: [int64('T', 1)],
        nodes: [{ op_type: 'Momentum', domain: 'ai.onnx.preview.training', input: ['R', 'T', 'X', 'G', 'V'], output: ['X_new', 'V_new'], attribute }],
        outputs: ['X_new'],
      });
    const all = [float('alpha', 0.9), float('beta', 0.5), float('norm_coefficient', 0), { name: 'mode', type: 3, s: bytes('standard') }];
    // v = 0.9·2 + 0.5·(−1) = 1.3; x' = 1 − 0.1·1.3 = 0.87.
    close(runF32(momentum(all), { R: [0.1], X: [1], G: [-1], V: [2] })['X_new'], 0.87);
    expect(() => momentum(all.slice(1))).toThrow(/Momentum.*attribute alpha is required/);
    expect(() => momentum(all.slice(0, 3))).toThrow(/Momentum.*attribute mode is required/);
  });
});
