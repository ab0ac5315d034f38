// In the page (Chromium, SwiftShader): the MLP of mlp.ts trained with the model API on the
// page's navigator.gpu, on a GPUDevice the page made itself (option device), and on the CPU
// interpreter; every run's losses equal Node's (global-setup.ts) within 1e-5.

import { describe, expect, inject, it } from 'vitest';
import { STEPS, maxAbsDiff, trainMlp } from './mlp.js';

const TOL = 1e-5;
const reference = inject('mlpReference');

function pageGpu(): GPU {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (gpu === undefined) throw new Error('this page has no navigator.gpu (is Chromium started with --enable-unsafe-webgpu?)');
  return gpu;
}

describe('MLP training in the page matches Node', () => {
  it("'auto' picks navigator.gpu and says so; losses within 1e-5 of Node's WebGPU run", async () => {
    const run = await trainMlp({});
    expect(run.backend).toBe('webgpu');
    expect(run.backendReason).toMatch(/^default auto: .* via navigator\.gpu \(navigator\.gpu offers /);
    expect(run.losses).toHaveLength(STEPS);
    expect(run.losses[STEPS - 1]!).toBeLessThan(run.losses[0]!);
    const diff = maxAbsDiff(run.losses, reference.webgpu.losses);
    console.log(`page WebGPU vs Node WebGPU (${reference.webgpu.backendReason}): max |loss diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(TOL);
  });

  it('a GPUDevice the page made itself (option device, default limits) gives the same losses', async () => {
    const adapter = await pageGpu().requestAdapter();
    expect(adapter).not.toBeNull();
    const device = await adapter!.requestDevice();
    const run = await trainMlp({ device });
    expect(run.backend).toBe('webgpu');
    expect(run.backendReason).toContain("option device: the caller's GPUDevice, used as is");
    expect(maxAbsDiff(run.losses, reference.webgpu.losses)).toBeLessThanOrEqual(TOL);
    device.destroy();
  });

  it("the page's CPU interpreter matches Node's", async () => {
    const run = await trainMlp({ backend: 'cpu' });
    expect(run.backend).toBe('cpu');
    const diff = maxAbsDiff(run.losses, reference.cpu.losses);
    console.log(`page CPU vs Node CPU: max |loss diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(TOL);
  });
});
