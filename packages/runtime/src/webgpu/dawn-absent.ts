// What `#dawn` resolves to outside Node (browsers, bundles): no Dawn. device.ts never calls it
// there (it checks for Node first); it exists so bundlers find no Node-only module to include.

import { KilnError } from '@kiln/ir';
import type { WebGpuDeviceInfo, WebGpuDeviceOptions } from './device.js';

export async function requestDawnDevice(_opts: WebGpuDeviceOptions): Promise<WebGpuDeviceInfo> {
  throw new KilnError({
    message: "no WebGPU: navigator.gpu is absent and this build of @kiln/runtime has no Dawn (the 'webgpu' package is loaded only under Node's 'node' export condition)",
  });
}
