// The `kiln` CLI on its backends, run as a user would (through tsx): kiln run --backend cpu|webgpu|auto
// and KILN_BACKEND, model scripts with initialized parameters, and kiln run-parity (CPU vs WebGPU).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { acquireDevice } from '../parity/helpers.js';
import mlpModel from './fixtures/mlp-model.js';
import { fixtures, runKiln } from './run-kiln.js';

const kiln = runKiln;

const fixture = (name: string): string => join(fixtures, name);
const MLP_NUMBERS = {
  y: [
    [5.5, 4.5],
    [2.5, 2.5],
  ],
};

/** A row of the run-parity table: what, type, max abs err, max rel err, result. */
function row(stdout: string, what: string): { abs: number; rel: number; result: string } | undefined {
  const m = new RegExp(`^${what.replace(/[.[\]]/g, '\\$&')}\\s+\\S+\\s+(\\S+)\\s+(\\S+)\\s+(.+)$`, 'm').exec(stdout);
  return m === null ? undefined : { abs: Number(m[1]), rel: Number(m[2]), result: m[3]! };
}

describe('kiln run: backend choice', () => {
  it('a bad --backend value is a usage error (exit 2) naming the choices', () => {
    const r = kiln(['run', fixture('mlp.kir'), '--inputs', fixture('mlp-inputs.json'), '--backend', 'gpu']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--backend must be one of auto, cpu, webgpu, got 'gpu'");
    expect(r.stderr).toContain('usage: kiln run');
    expect(r.stdout).toBe('');
  });

  it('a bad KILN_BACKEND value is a usage error too', () => {
    const r = kiln(['run', fixture('mlp.kir'), '--inputs', fixture('mlp-inputs.json')], { KILN_BACKEND: 'tpu' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("KILN_BACKEND must be one of auto, cpu, webgpu, got 'tpu'");
  });

  it('--backend wins over KILN_BACKEND', () => {
    const r = kiln(['run', fixture('mlp.kir'), '--inputs', fixture('mlp-inputs.json'), '--backend', 'cpu'], { KILN_BACKEND: 'webgpu' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('kiln run: backend cpu (--backend cpu): CPU interpreter\n');
    expect(JSON.parse(r.stdout)).toEqual(MLP_NUMBERS);
  });

  it('a model script runs with its parameters from their initializers (seed 0), matching a hand-written forward pass', () => {
    const r = kiln(['run', fixture('mlp-model.ts'), '--inputs', fixture('mlp-model-inputs.json')]);
    expect(r.code).toBe(0);
    // Independent forward pass in f64: relu(x·W0 + b0)·W1 + b1, then mean(logsumexp - logit[label]).
    const p = Object.fromEntries(mlpModel.params.map((s) => [s.name, Array.from(k.initialize(s, 0))]));
    const [w0, b0, w1, b1] = ['linear0.w', 'linear0.b', 'linear1.w', 'linear1.b'].map((n) => p[n]!);
    const xs = [
      [1, -0.5, 0.25, 2],
      [-1, 0.5, 1.5, 0],
    ];
    const labels = [2, 0];
    let total = 0;
    xs.forEach((x, row) => {
      const h = Array.from({ length: 8 }, (_, j) =>
        Math.max(
          0,
          x.reduce((s, xi, i) => s + xi * w0![i * 8 + j]!, b0![j]!),
        ),
      );
      const logits = Array.from({ length: 3 }, (_, c) => h.reduce((s, hj, j) => s + hj * w1![j * 3 + c]!, b1![c]!));
      const lse = Math.log(logits.reduce((s, l) => s + Math.exp(l), 0));
      total += lse - logits[labels[row]!]!;
    });
    expect((JSON.parse(r.stdout) as { loss: number }).loss).toBeCloseTo(total / 2, 5);
  });

  it('a training script prints the updated state too: Adam moves each bias by lr on its first step', () => {
    const r = kiln(['run', fixture('train-model.ts'), '--inputs', fixture('train-inputs.json')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out['adam.step']).toBe(1);
    // Biases start at zero; Adam's first step is lr·g/(|g|+eps) = ±lr for every non-zero gradient.
    for (const b of out['linear1.b'] as number[]) expect(Math.abs(b)).toBeCloseTo(0.01, 5);
    expect(Object.keys(out)).toContain('adam.v.linear0.w');
  });

  it('without --inputs, a script names the inputs it needs, which excludes the initialized parameters', () => {
    const r = kiln(['run', fixture('mlp-model.ts')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('@main has inputs (%x, %y): pass --inputs <file.json>');
  });
});

const device = await acquireDevice();
device?.device.destroy();

describe.skipIf(device === undefined)('kiln run on WebGPU', () => {
  it('--backend webgpu gives the hand-computed MLP numbers and says which adapter, why, and the pipeline', () => {
    const r = kiln(['run', fixture('mlp.kir'), '--inputs', fixture('mlp-inputs.json'), '--backend', 'webgpu']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(MLP_NUMBERS);
    expect(r.stderr).toMatch(/kiln run: backend webgpu \(--backend webgpu\): .+; .+; pipeline 'dce,cse,fold-constants,simplify,cse,dce,fuse,plan-memory'\n/);
  });

  it('KILN_BACKEND=webgpu selects WebGPU when --backend is not given', () => {
    const r = kiln(['run', fixture('mlp.kir'), '--inputs', fixture('mlp-inputs.json')], { KILN_BACKEND: 'webgpu' });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(MLP_NUMBERS);
    expect(r.stderr).toContain('kiln run: backend webgpu (KILN_BACKEND=webgpu): ');
  });

  it('--backend auto picks the WebGPU adapter when there is one; --pipeline "" hands the graph to the backend unfused', () => {
    const r = kiln(['run', fixture('mlp.kir'), '--inputs', fixture('mlp-inputs.json'), '--backend', 'auto', '--pipeline', '']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(MLP_NUMBERS);
    expect(r.stderr).toContain('kiln run: backend webgpu (--backend auto): ');
    expect(r.stderr).not.toContain('pipeline');
  });
});

describe.skipIf(device === undefined)('kiln run-parity', () => {
  it('passes on the MLP model script, printing the error of its output and where the inputs came from', () => {
    const r = kiln(['run-parity', fixture('mlp-model.ts')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('run-parity @main: 1 step(s), seed 0, rtol 1e-4, atol 1e-5');
    // y indexes the 3 classes (compared with an iota of extent 3), so its labels stay in [0, 3).
    expect(r.stdout).toContain('  y: seeded integers in [0, 3) (the dimension it indexes)');
    expect(r.stdout).toContain('state (4): 2 initializer glorotUniform, 2 initializer zeros; seed 0');
    const loss = row(r.stdout, 'loss');
    expect(loss?.result).toBe('ok');
    expect(loss!.abs).toBeLessThan(1e-5);
    expect(r.stdout).toMatch(/parity: ok \(1 comparison\(s\) within rtol 1e-4, atol 1e-5\)\n$/);
  });

  it('passes on a .kir file; integer indices stay inside the gathered dimension', () => {
    const r = kiln(['run-parity', fixture('embed.kir'), '--seed', '7']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  ids: seeded integers in [0, 5) (the dimension it indexes)');
    expect(row(r.stdout, 'rows')?.result).toBe('ok');
    expect(row(r.stdout, 'total')?.result).toBe('ok');
  });

  it('takes inputs from --inputs and seeds the others', () => {
    const r = kiln(['run-parity', fixture('mlp.kir'), '--inputs', fixture('missing-input.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  x: from --inputs');
    expect(r.stdout).toContain('  w2: seeded uniform [-1, 1)');
    expect(row(r.stdout, 'y')?.result).toBe('ok');
  });

  it('--steps N compares the outputs of every training step and the updated state at the end', () => {
    const r = kiln(['run-parity', fixture('train-model.ts'), '--steps', '3']);
    expect(r.code).toBe(0);
    for (const s of [1, 2, 3]) expect(row(r.stdout, `step ${s} loss`)?.result).toBe('ok');
    // The step counter is an integer: it must match exactly.
    expect(row(r.stdout, 'state adam.step')).toEqual({ abs: 0, rel: 0, result: 'ok' });
    for (const name of ['linear0.w', 'linear0.b', 'linear1.w', 'linear1.b', 'adam.m.linear0.w', 'adam.v.linear1.b']) expect(row(r.stdout, `state ${name}`)?.result).toBe('ok');
  });

  it('exits 1 when f32 GPU transcendentals differ from the CPU in the last bits and the tolerance is 0', () => {
    const loose = kiln(['run-parity', fixture('transcendental.kir')]);
    expect(loose.code).toBe(0);
    const exact = kiln(['run-parity', fixture('transcendental.kir'), '--rtol', '0', '--atol', '0']);
    expect(exact.code).toBe(1);
    expect(exact.stdout).toMatch(/parity: MISMATCH \(\d of 3 comparison\(s\) outside rtol 0, atol 0\)/);
    // exp of inputs up to 4 in magnitude: WGSL allows 3 + 2|x| ULP, and the CPU rounds correctly.
    const e = row(exact.stdout, 'e');
    expect(e?.result).toMatch(/^FAIL \(\d+ element\(s\)\)$/);
    expect(e!.abs).toBeGreaterThan(0);
    expect(e!.rel).toBeLessThan(1e-5);
    expect(exact.stdout).toMatch(/element \d+: webgpu \S+ vs cpu \S+/);
  });

  it('bad numbers are usage errors (exit 2)', () => {
    expect(kiln(['run-parity', fixture('mlp.kir'), '--rtol', '-1']).code).toBe(2);
    const r = kiln(['run-parity', fixture('mlp.kir'), '--steps', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--steps must be a positive integer, got '0'");
    expect(kiln(['run-parity']).code).toBe(2);
  });
});

describe('kiln --help', () => {
  it('documents run backends, KILN_BACKEND, run-parity, its tolerances, dump and wgsl, and the exit statuses', () => {
    const r = kiln(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kiln run <file.kir|script.ts> --inputs <file.json> [--backend cpu|webgpu|auto]');
    expect(r.stdout).toContain('kiln run-parity <script.ts|file.kir>');
    expect(r.stdout).toContain('defaults rtol 1e-4, atol 1e-5');
    expect(r.stdout).toContain('KILN_BACKEND=cpu|webgpu|auto');
    expect(r.stdout).toContain('exit status: 0 success, 1 failure (IR or runtime error, parity mismatch), 2 usage error.');
    expect(r.stdout).toContain('kiln wgsl <script.ts|file.kir> [--kernel NAME] [--pipeline P] [--limits core|compat|device]');
    expect(r.stdout).toContain('kiln dump <script.ts|file.kir> --out <dir> [--pipeline P] [--limits core|compat|device] [--svg]');
  });
});
