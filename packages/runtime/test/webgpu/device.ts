// The WebGPU device shared by one test file (Dawn in Node, navigator.gpu in a browser); a missing
// device fails the file loudly unless KILN_ALLOW_NO_WEBGPU=1 (then the caller skips and says so).

import { requestWebGpuDevice, type WebGpuDeviceInfo } from '@kiln/runtime';

function allowNoWebGpu(): boolean {
  // No process in a browser: there a missing device always fails.
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.['KILN_ALLOW_NO_WEBGPU'] === '1';
}

export async function testDevice(): Promise<WebGpuDeviceInfo | undefined> {
  try {
    return await requestWebGpuDevice();
  } catch (e) {
    if (allowNoWebGpu()) {
      console.warn(`WebGPU runtime tests SKIPPED (KILN_ALLOW_NO_WEBGPU=1): ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    throw new Error(`WebGPU is required for these tests (set KILN_ALLOW_NO_WEBGPU=1 to skip locally): ${e instanceof Error ? e.message : String(e)}`);
  }
}
