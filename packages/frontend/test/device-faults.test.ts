// Device faults on WebGPU: losing the device mid-training (simulated with device.destroy()) is a
// clear error, after which a k.compile step is rebuilt with step.recover() and a k.jit function
// rebuilds itself on the next call, both from the last host copy of their state; a buffer
// allocation the driver refuses is a KilnError, and the device stays usable.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import { requestWebGpuDevice } from '@kiln/runtime';
import * as k from '../src/index.js';
import { webgpu } from '../src/devices.js';

let hasWebGpu = true;
try {
  await requestWebGpuDevice();
} catch (e) {
  if (process.env['KILN_ALLOW_NO_WEBGPU'] !== '1') throw new Error(`WebGPU is required for these tests (set KILN_ALLOW_NO_WEBGPU=1 to skip locally): ${String(e)}`);
  hasWebGpu = false;
}

/** y = x * w; w += 1 after every run. */
function counter(): k.Traced {
  return k.trace(
    ({ x }) => {
      const w = k.param('w', [4], k.init.ones());
      k.assign(w, k.add(w, 1));
      return { y: k.mul(x, w) };
    },
    { x: k.f32([4]) },
  );
}

/** Destroys the process's shared WebGPU device (the one the device policy acquired). */
async function loseSharedDevice(): Promise<void> {
  const info = await webgpu().device;
  info.device.destroy();
  // The lost promise resolves asynchronously; what follows must not depend on when.
  await info.device.lost;
}

async function kilnError(p: Promise<unknown>): Promise<KilnError> {
  try {
    await p;
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(KilnError);
    return e as KilnError;
  }
  throw new Error('expected a KilnError, nothing was thrown');
}

class Net extends k.nn.Module {
  fc = new k.nn.Linear(3, 2);
  forward(x: k.Tensor): k.Tensor {
    return this.fc.forward(x);
  }
}

function trainer(model: Net, backend: 'cpu' | 'webgpu') {
  const opt = k.optim.sgd({ lr: 0.1 });
  const step = k.jit(
    ({ x, y }: k.Inputs<'x' | 'y'>) => {
      const loss = k.losses.mse(model.forward(x), y, { reduction: 'mean' });
      return { loss, updates: opt.minimize(loss) };
    },
    { backend },
  );
  return { step, opt };
}

const batch = {
  x: k.tensor([
    [1, 2, 3],
    [0, -1, 0.5],
  ]),
  y: k.tensor([
    [1, 0],
    [0, 1],
  ]),
};

async function weightsOf(m: Net): Promise<number[]> {
  const bias = m.fc.bias;
  if (bias === undefined) throw new Error('Net.fc has a bias');
  return [...(await m.fc.weight.read()).data, ...(await bias.read()).data];
}

describe.skipIf(!hasWebGpu)('device loss (WebGPU, device.destroy())', () => {
  it('k.compile: the next run is a device-lost KilnError; step.recover() rebuilds from the last params() copy on a new device', async () => {
    const step = await k.compile(counter(), { backend: 'webgpu' });
    const x = new Float32Array([1, 2, 3, 4]);
    await step.run({ x });
    await step.run({ x });
    expect(Array.from((await step.params())['w']!)).toEqual([3, 3, 3, 3]); // the host copy
    await step.run({ x }); // w = 4 on the device only: lost with it
    await loseSharedDevice();
    const e = await kilnError(step.run({ x }));
    expect(e.message).toMatch(/WebGPU device lost .*step\.recover\(\)/);
    await kilnError(step.params());
    const rebuilt = await step.recover();
    expect(rebuilt.backend).toBe('webgpu');
    expect(Array.from(await rebuilt.getParam('w'))).toEqual([3, 3, 3, 3]);
    expect(Array.from((await rebuilt.run({ x }))['y'] as Float32Array)).toEqual([3, 6, 9, 12]);
    expect(Array.from(await rebuilt.getParam('w'))).toEqual([4, 4, 4, 4]);
    rebuilt.dispose();
  });

  it('k.jit: the call that meets the loss fails clearly; the next call continues on a new device from the last checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-loss-'));
    try {
      const path = join(dir, 'ckpt.safetensors');
      const model = new Net();
      const { step, opt } = trainer(model, 'webgpu');
      for (let i = 0; i < 3; i++) await step(batch);
      await k.checkpoint.save(path, model, { optimizer: opt });
      await step(batch); // progress after the checkpoint: lost with the device
      await loseSharedDevice();
      const e = await kilnError(step(batch));
      expect(e.message).toMatch(/WebGPU device lost .*next k\.jit call rebuilds on a new device/);
      // Reading a variable whose device is gone is the same clear error, not zeros.
      expect((await kilnError(model.fc.weight.read())).message).toMatch(/device lost/);
      const out = await step(batch);
      expect(Number.isFinite(out.loss.item())).toBe(true);
      expect(step.backend).toBe('webgpu');
      // The same step from the checkpoint on the CPU interpreter agrees.
      const ref = new Net();
      const cpu = trainer(ref, 'cpu');
      await k.checkpoint.load(path, ref, { optimizer: cpu.opt });
      const want = await cpu.step(batch);
      expect(out.loss.item()).toBeCloseTo(want.loss.item(), 5);
      const [got, exp] = [await weightsOf(model), await weightsOf(ref)];
      got.forEach((v, i) => expect(v).toBeCloseTo(exp[i]!, 5));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loading a checkpoint after the loss restores the model on the new device', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-loss-'));
    try {
      const path = join(dir, 'ckpt.safetensors');
      const model = new Net();
      const { step } = trainer(model, 'webgpu');
      await step(batch);
      await k.checkpoint.save(path, model);
      const saved = await weightsOf(model);
      await step(batch);
      await loseSharedDevice();
      await k.checkpoint.load(path, model);
      expect(await weightsOf(model)).toEqual(saved); // held on the host until the next placement
      expect((await kilnError(step(batch))).message).toMatch(/device lost/); // told once
      await step(batch); // rebuilt on a new device from the loaded values
      const ref = new Net();
      await k.checkpoint.load(path, ref);
      await trainer(ref, 'cpu').step(batch);
      const [got, exp] = [await weightsOf(model), await weightsOf(ref)];
      got.forEach((v, i) => expect(v).toBeCloseTo(exp[i]!, 5));
      expect(got).not.toEqual(saved);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Buffers made through refusingDevice that are still alive (not destroyed). */
const alive = new Set<GPUBuffer>();

/** `real` with createBuffer refusing every allocation after the first `allowed`, as a driver out of memory would. */
function refusingDevice(real: GPUDevice, allowed: number): GPUDevice {
  let calls = 0;
  return new Proxy(real, {
    get(target, prop) {
      if (prop === 'createBuffer')
        return (d: GPUBufferDescriptor): GPUBuffer => {
          if (++calls > allowed) throw new RangeError(`Out of memory: could not allocate ${d.size} bytes (injected)`);
          const buffer = target.createBuffer(d);
          const destroy = buffer.destroy.bind(buffer);
          alive.add(buffer);
          buffer.destroy = () => {
            alive.delete(buffer);
            destroy();
          };
          return buffer;
        };
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

describe.skipIf(!hasWebGpu)('buffer allocation failure (WebGPU)', () => {
  it('a compile whose buffers the driver refuses is a KilnError; the device stays usable', async () => {
    const { device } = await requestWebGpuDevice();
    for (const allowed of [0, 1, 3]) {
      const e = await kilnError(k.compile(counter(), { device: refusingDevice(device, allowed) }));
      expect(e.message).toMatch(/WebGPU failed while compiling @main: Out of memory: could not allocate \d+ bytes \(injected\)/);
      // The buffers made before the refusal were destroyed, not left to the GC.
      expect(alive.size).toBe(0);
    }
    const step = await k.compile(counter(), { device });
    expect(Array.from((await step.run({ x: new Float32Array([1, 1, 1, 1]) }))['y'] as Float32Array)).toEqual([1, 1, 1, 1]);
    step.dispose();
  });

  it('a variable whose device slot cannot be allocated is a KilnError naming it', async () => {
    const { device } = await requestWebGpuDevice();
    const model = new Net();
    const opt = k.optim.sgd({ lr: 0.1 });
    const step = k.jit(
      ({ x, y }: k.Inputs<'x' | 'y'>) => {
        const loss = k.losses.mse(model.forward(x), y, { reduction: 'mean' });
        return { loss, updates: opt.minimize(loss) };
      },
      { device: refusingDevice(device, 0) },
    );
    const e = await kilnError(step(batch));
    expect(e.message).toMatch(/WebGPU failed while allocating fc\.(weight|bias): Out of memory/);
    // Nothing was lost: the variables still hold their initial values.
    expect((await weightsOf(model)).every(Number.isFinite)).toBe(true);
  });
});
