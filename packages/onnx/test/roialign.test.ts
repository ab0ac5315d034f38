// RoiAlign against values worked out by hand on X = [[1, 2], [3, 4]], where bilinear sampling gives
// f(y, x) = 1 + x + 2y inside the image: both coordinate modes, avg and max, and a roi outside.

import { describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, importModel, type ImportedModel } from '../src/index.js';
import { graphModel, runF32 } from './models.js';

const int = (name: string, i: number) => ({ name, type: 2, i });
const str = (name: string, s: string) => ({ name, type: 3, s: new TextEncoder().encode(s) });

function model(attrs: Record<string, unknown>[], rois: number): ImportedModel {
  const node = { op_type: 'RoiAlign', input: ['X', 'rois', 'b'], output: ['Y'], attribute: [int('output_height', 1), int('output_width', 1), ...attrs] };
  const spec = {
    inputs: [
      ['X', [1, 1, 2, 2]],
      ['rois', [rois, 4]],
      ['b', [rois], 7],
    ] as const,
    nodes: [node],
    outputs: ['Y'],
  };
  return importModel(decodeModel(encodeModel({ ...graphModel(spec), opset_import: [{ domain: '', version: 16 }] })));
}
const X = [1, 2, 3, 4];

describe('onnx RoiAlign', () => {
  it('half_pixel: one sample at the roi centre minus half a pixel; output_half_pixel: at (0.5, 0.5)', () => {
    expect(runF32(model([int('sampling_ratio', 1), str('coordinate_transformation_mode', 'half_pixel')], 1), { X, rois: [0, 0, 1, 1], b: [0] })).toEqual({ Y: [1] });
    expect(runF32(model([int('sampling_ratio', 1), str('coordinate_transformation_mode', 'output_half_pixel')], 1), { X, rois: [0, 0, 1, 1], b: [0] })).toEqual({ Y: [2.5] });
  });

  it('avg of four samples, max of the weighted taps, and zero for a roi outside the image', () => {
    const two = [int('sampling_ratio', 2), str('coordinate_transformation_mode', 'output_half_pixel')];
    // Samples at 0.25 and 0.75 on each axis: f averages to 2.5; the largest weighted tap is 0.75·0.75·4.
    expect(runF32(model(two, 2), { X, rois: [0, 0, 1, 1, 5, 5, 6, 6], b: [0, 0] })).toEqual({ Y: [2.5, 0] });
    expect(runF32(model([...two, str('mode', 'max')], 1), { X, rois: [0, 0, 1, 1], b: [0] })).toEqual({ Y: [2.25] });
  });

  it('an adaptive sampling_ratio (0) is rejected: its grid would depend on the rois', () => {
    expect(() => model([int('sampling_ratio', 0)], 1)).toThrow(/RoiAlign.*unsupported: RoiAlign with an adaptive sampling_ratio/);
  });
});
