// The WebGPU device shared by one test file; a missing device fails the file loudly unless
// KILN_ALLOW_NO_WEBGPU=1 (then the caller skips and a warning says so).

import { requestWebGpuDevice, type WebGpuDeviceInfo } from '@kiln/runtime';

export async function testDevice(): Promise<WebGpuDeviceInfo | undefined> {
  try {
    return await requestWebGpuDevice();
  } catch (e) {
    if (process.env['KILN_ALLOW_NO_WEBGPU'] === '1') {
      console.warn(`WebGPU runtime tests SKIPPED (KILN_ALLOW_NO_WEBGPU=1): ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    throw new Error(`WebGPU is required for these tests (set KILN_ALLOW_NO_WEBGPU=1 to skip locally): ${e instanceof Error ? e.message : String(e)}`);
  }
}
