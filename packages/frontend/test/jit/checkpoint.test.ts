// Module checkpoints: a round trip through a file written by another process gives identical
// outputs (and resumes the optimizer); a non-strict load into a model with one renamed layer
// reports exactly that layer; a strict mismatch loads nothing.

import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as k from '../../src/index.js';
import { Net, Renamed, probe } from './fixtures/net.js';

const run = promisify(execFile);
const writer = fileURLToPath(new URL('./fixtures/checkpoint-writer.ts', import.meta.url));

describe('k.checkpoint', () => {
  it('round-trips across processes with identical outputs, optimizer state included', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'kiln-ckpt-')), 'net.safetensors');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', writer, file], { env: { ...process.env, KILN_BACKEND: '' } });
    const expected = JSON.parse(stdout) as number[];

    k.manualSeed(999); // different initial weights: the load must replace all of them
    const model = new Net();
    const opt = k.optim.adam({ lr: 0.05 });
    const report = await k.checkpoint.load(file, model, { optimizer: opt });
    expect(report.missing).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.loaded).toContain('optimizer.adam.m.fc1.weight');
    expect(report.loaded).toContain('optimizer.adam.step');
    const predict = k.jit(({ x }: k.Inputs<'x'>) => model.forward(x), { backend: 'cpu' });
    expect(Array.from((await predict({ x: probe() })).data)).toEqual(expected);
    // The step counter resumed at 5: Adam's bias correction continues rather than restarting.
    expect(await opt.iterations()).toBe(5);
    // Loading the weights alone (for inference) skips the optimizer state, even when strict.
    const weightsOnly = await k.checkpoint.load(file, new Net());
    expect(weightsOnly.loaded).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(weightsOnly.unexpected).toEqual([]);
  });

  it('non-strict load into a model with one renamed layer reports exactly that layer', async () => {
    const bytes = await k.checkpoint.encode(new Net());
    const renamed = new Renamed();
    const fc2Before = (await renamed.fc2.weight.read()).data.slice();
    const report = await k.checkpoint.load(bytes, renamed, { strict: false });
    expect(report.missing).toEqual(['hidden.weight', 'hidden.bias']);
    expect(report.unexpected).toEqual(['fc1.weight', 'fc1.bias']);
    expect(report.mismatched).toEqual([]);
    expect(report.loaded).toEqual(['fc2.weight', 'fc2.bias']);
    expect(Array.from((await renamed.fc2.weight.read()).data)).not.toEqual(Array.from(fc2Before));
  });

  it('a strict load that does not match names every difference and changes nothing', async () => {
    const bytes = await k.checkpoint.encode(new Net());
    const renamed = new Renamed();
    const before = await renamed.stateDict();
    await expect(k.checkpoint.load(new Blob([bytes]), renamed)).rejects.toThrowError(
      /missing from the checkpoint: hidden\.weight, hidden\.bias; not in the model: fc1\.weight, fc1\.bias \(nothing was loaded/,
    );
    const after = await renamed.stateDict();
    for (const name of Object.keys(before)) expect(Array.from(after[name]!.data)).toEqual(Array.from(before[name]!.data));
  });

  it('loadStateDict reports shape mismatches by name', async () => {
    class Wide extends k.nn.Module {
      fc1 = new k.nn.Linear(3, 6);
      fc2 = new k.nn.Linear(5, 2);
      forward(x: k.Tensor): k.Tensor {
        return x;
      }
    }
    const dict = await new Net().stateDict();
    await expect(new Wide().loadStateDict(dict)).rejects.toThrowError(/fc1\.weight \(model f32\[3,6\], given f32\[3,5\]\)/);
    const report = await new Wide().loadStateDict(dict, { strict: false });
    expect(report.mismatched.map((m) => m.name)).toEqual(['fc1.weight', 'fc1.bias']);
    expect(report.loaded).toEqual(['fc2.weight', 'fc2.bias']);
  });
});
