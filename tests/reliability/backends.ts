// Test helper for tests/reliability: the backends each reliability test runs on. WebGPU (Dawn on
// llvmpipe in CI) is required unless KILN_ALLOW_NO_WEBGPU=1, as in the runtime's WebGPU tests.

import { requestWebGpuDevice } from '@kiln/runtime';

export type TestBackend = 'cpu' | 'webgpu';

export async function reliabilityBackends(): Promise<readonly TestBackend[]> {
  try {
    await requestWebGpuDevice();
    return ['cpu', 'webgpu'];
  } catch (e) {
    if (process.env['KILN_ALLOW_NO_WEBGPU'] === '1') {
      console.warn(`reliability tests: WebGPU SKIPPED (KILN_ALLOW_NO_WEBGPU=1): ${e instanceof Error ? e.message : String(e)}`);
      return ['cpu'];
    }
    throw new Error(`WebGPU is required for these tests (set KILN_ALLOW_NO_WEBGPU=1 to skip locally): ${e instanceof Error ? e.message : String(e)}`);
  }
}
