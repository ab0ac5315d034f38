// `kiln export` and `kiln import`: a model script goes to ONNX and back to IR with its parameters
// as state inputs; a non-ONNX file is a clean error with exit status 1.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '@kiln/onnx';
import { fixtures, runKiln } from '../cli/run-kiln.js';

describe('kiln import / export', () => {
  it('exports a model script to ONNX and imports it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-onnx-cli-'));
    const onnx = join(dir, 'mlp.onnx');
    const exp = runKiln(['export', join(fixtures, 'mlp-model.ts'), '-o', onnx]);
    expect(exp.code, exp.stderr).toBe(0);
    const model = decodeModel(readFileSync(onnx));
    expect(model.opsets[0]?.version).toBe(17);
    expect(
      model.graph.initializers
        .filter((t) => t.dataType === 1)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['linear0.b', 'linear0.w', 'linear1.b', 'linear1.w']);
    const kir = join(dir, 'mlp.kir');
    const imp = runKiln(['import', onnx, '-o', kir]);
    expect(imp.code, imp.stderr).toBe(0);
    const text = readFileSync(kir, 'utf8');
    expect(text).toMatch(/%linear0\.w: f32\[4,8\] \{state\}/);
    expect(text).toMatch(/matmul/);
    const check = runKiln(['check', kir]);
    expect(check.code, check.stderr).toBe(0);
  });

  it('rejects a file that is not ONNX with a clean error', () => {
    const r = runKiln(['import', join(fixtures, 'mlp.kir')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/malformed ONNX model/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
