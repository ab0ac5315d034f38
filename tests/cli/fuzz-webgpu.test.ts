// `kiln fuzz --backend webgpu`: differential fuzzing CPU vs WebGPU with inputs
// rich in NaN, ±Inf and ±0, run in CI on 1000 graphs as a user would run it; and the comparison
// itself, which must tell NaN/Inf placement apart and allow only tolerance on finite values.

import { describe, expect, it } from 'vitest';
import { hostTensor } from '@kiln/runtime';
import { differential } from '../../bin/commands/fuzz-webgpu.js';
import { acquireDevice } from '../parity/helpers.js';
import { runKiln } from './run-kiln.js';

const f32 = (data: number[]) => hostTensor({ dtype: 'f32', shape: [data.length] }, data);

describe('the differential comparison', () => {
  it('requires NaN and ±Inf in the same elements', () => {
    expect(differential('y', f32([1, NaN]), f32([1, 0]), 1e-4, 1e-5)).toBe('output y[1] is 0 on WebGPU, NaN on the CPU (NaN/Inf placement differs)');
    expect(differential('y', f32([Infinity]), f32([-Infinity]), 1e-4, 1e-5)).toContain('NaN/Inf placement differs');
    expect(differential('y', f32([5]), f32([Infinity]), 1e-4, 1e-5)).toContain('NaN/Inf placement differs');
    expect(differential('y', f32([NaN, -Infinity, 2]), f32([NaN, -Infinity, 2]), 1e-4, 1e-5)).toBeUndefined();
  });

  it('allows atol + rtol·|cpu| on finite values, and nothing on integers', () => {
    expect(differential('y', f32([100]), f32([100.005]), 1e-4, 1e-5)).toBeUndefined();
    expect(differential('y', f32([100]), f32([100.02]), 1e-4, 1e-5)).toContain('beyond atol');
    const i32 = (data: number[]) => hostTensor({ dtype: 'i32', shape: [data.length] }, data);
    expect(differential('k', i32([3]), i32([4]), 1, 1)).toBe('output k[0] is 4 on WebGPU, 3 on the CPU');
  });
});

const device = await acquireDevice();
device?.device.destroy();

describe.skipIf(device === undefined)('kiln fuzz --backend webgpu', () => {
  it('1000 seeded graphs (a fifth of the f32 inputs special) agree with the CPU interpreter', () => {
    const r = runKiln(['fuzz', '--backend', 'webgpu', '--seed', '1', '--runs', '1000']);
    expect(r.stdout).toMatch(/^kiln fuzz --backend webgpu: 1000 graphs from seed 1, \d+ output elements \(\d+ NaN\/Inf on the CPU\), 0 finding\(s\)$/m);
    // The inputs really are special: hundreds of CPU results are NaN or ±Inf.
    expect(Number(/\((\d+) NaN\/Inf/.exec(r.stdout)?.[1])).toBeGreaterThan(100);
    expect(r.code).toBe(0);
  }, 120_000);

  it('seed 1241: a state updated in place by a scatter_add kernel that never reads it (was an internal error)', () => {
    // The kernel clears its output before accumulating; that is only unsafe when it also reads the
    // state it overwrites, which the memory plan already refuses.
    const r = runKiln(['fuzz', '--backend', 'webgpu', '--seed', '1241', '--runs', '1']);
    expect(r.stdout).toMatch(/1 graphs from seed 1241, [1-9]\d* output elements .*, 0 finding\(s\)$/m);
    expect(r.code).toBe(0);
  });

  it('--pass and --special are usage errors where they do not apply', () => {
    expect(runKiln(['fuzz', '--backend', 'webgpu', '--pass', 'dce']).code).toBe(2);
    expect(runKiln(['fuzz', '--special', '0.5']).code).toBe(2);
    expect(runKiln(['fuzz', '--backend', 'tpu']).stderr).toContain("--backend must be cpu or webgpu, got 'tpu'");
  });
});
