// Backend choice and devices: a GPUDevice the caller owns is used as is by k.jit and k.compile
// (its weights live on it), contradictory options fail naming both, and 'auto' without WebGPU
// picks the CPU saying exactly why, on stderr too (a child process without the 'webgpu' package).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import { requestWebGpuDevice, type GpuStateStore } from '@kiln/runtime';
import * as k from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The caller's device: acquired here, outside Kiln's own device policy, as a page would. */
const own = await requestWebGpuDevice();

class Mlp extends k.nn.Module {
  fc1 = new k.nn.Linear(8, 16);
  fc2 = new k.nn.Linear(16, 3);
  forward(x: k.Tensor): k.Tensor {
    return this.fc2.forward(this.fc1.forward(x).tanh());
  }
}

function batch(n: number): { x: k.HostTensor; y: k.HostTensor } {
  const xs = Float32Array.from({ length: n * 8 }, (_, i) => Math.sin(i * 1.7) * 0.5);
  const ys = Int32Array.from({ length: n }, (_, i) => i % 3);
  return { x: k.tensor(xs, [n, 8]), y: k.tensor(ys, [n]) };
}

describe("the caller's GPUDevice (option device)", () => {
  it('k.jit trains on it, keeps the weights on it and says so', async () => {
    k.manualSeed(3);
    const model = new Mlp();
    const opt = k.optim.sgd({ lr: 0.5 });
    const step = k.jit(
      ({ x, y }: k.Inputs<'x' | 'y'>) => {
        const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
        return { loss, updates: opt.minimize(loss) };
      },
      { device: own.device },
    );
    const data = batch(12);
    const first = (await step(data)).loss.item();
    for (let i = 0; i < 10; i++) await step(data);
    expect((await step(data)).loss.item()).toBeLessThan(first);
    expect(step.backend).toBe('webgpu');
    expect(step.backendReason).toContain("option device: the caller's GPUDevice, used as is");
    expect((model.fc1.weight.store as GpuStateStore).info.device).toBe(own.device);
  });

  it('k.compile runs on it', async () => {
    const g = k.trace(({ x }) => x.sin().mul(2), { x: k.f32([4]) });
    const step = await k.compile(g, { device: own.device });
    expect(step.backend).toBe('webgpu');
    const out = (await step.run({ x: [0, 1, 2, 3] }))['out'] as Float32Array;
    expect(Array.from(out).map((v) => Number(v.toFixed(5)))).toEqual([0, 1.68294, 1.81859, 0.28224]);
  });

  it("fails naming the conflict with backend: 'cpu' or precision 'f64'", async () => {
    const g = k.trace(({ x }) => x.exp(), { x: k.f32([2]) });
    await expect(k.compile(g, { device: own.device, backend: 'cpu' })).rejects.toThrow(KilnError);
    await expect(k.compile(g, { device: own.device, backend: 'cpu' })).rejects.toThrow("backend: 'cpu' was requested together with a GPUDevice");
    await expect(k.compile(g, { device: own.device, precision: 'f64' })).rejects.toThrow("precision 'f64' needs the CPU interpreter, but a GPUDevice was given");
  });
});

describe("'auto' without WebGPU", () => {
  it('picks the CPU interpreter saying what was tried, in backendReason and once on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-auto-cpu-'));
    const frontend = pathToFileURL(join(here, '..', 'src', 'index.ts')).href;
    writeFileSync(
      join(dir, 'child.mjs'),
      `const k = await import(${JSON.stringify(frontend)});
const g = k.trace(({ x }) => x.exp(), { x: k.f32([2]) });
const a = await k.compile(g);
const b = await k.compile(g, { backend: 'auto' });
console.log(JSON.stringify([a.backend, a.backendReason, b.backendReason]));\n`,
    );
    const hide = pathToFileURL(join(here, '..', '..', 'runtime', 'test', 'fixtures', 'hide-webgpu.mjs')).href;
    const env: Record<string, string | undefined> = { ...process.env, KILN_BACKEND: undefined };
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', hide, join(dir, 'child.mjs')], { encoding: 'utf8', timeout: 60_000, env });
    rmSync(dir, { recursive: true, force: true });
    const why = "no WebGPU: navigator.gpu is absent and the 'webgpu' package (Dawn for Node, an optional dependency) is not installed; using the CPU interpreter";
    expect(JSON.parse(r.stdout)).toEqual(['cpu', `default auto: ${why}`, `backend: 'auto': ${why}`]);
    expect(r.stderr).toBe(`kiln: default auto: ${why}\n`);
  });
});
