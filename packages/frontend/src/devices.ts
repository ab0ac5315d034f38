// Frontend: which backend runs a compiled graph (KILN_BACKEND, else the option, else 'auto', with
// the reason), the one shared WebGPU device and backend per process, and the device state store
// of each backend, where every Variable placed on that backend lives.

import { KilnError } from '@kiln/ir';
import {
  CpuStateStore,
  GpuStateStore,
  createWebGpuBackend,
  requestWebGpuDevice,
  type Precision,
  type StateStore,
  type WebGpuBackend,
  type WebGpuDeviceInfo,
} from '@kiln/runtime';

export type BackendChoice = 'auto' | 'cpu' | 'webgpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'cpu', 'webgpu'];

interface Choice {
  readonly requested: BackendChoice;
  readonly source: string;
}

function envBackend(): string | undefined {
  // process is absent in browsers; there only the option decides.
  const env = typeof process !== 'undefined' ? process.env?.['KILN_BACKEND'] : undefined;
  return env === undefined || env === '' ? undefined : env;
}

export function requestedBackend(option: BackendChoice | undefined): Choice {
  const env = envBackend();
  if (env !== undefined) {
    if (!(BACKEND_CHOICES as readonly string[]).includes(env))
      throw new KilnError({ message: `KILN_BACKEND must be one of ${BACKEND_CHOICES.join(', ')}, got '${env}'` });
    return { requested: env as BackendChoice, source: `KILN_BACKEND=${env}` };
  }
  return option !== undefined ? { requested: option, source: `backend: '${option}'` } : { requested: 'auto', source: 'default auto' };
}

/** One WebGPU device and backend per process: pipelines are cached per backend, devices are costly. */
let sharedDevice: Promise<WebGpuDeviceInfo> | undefined;
let sharedBackend: WebGpuBackend | undefined;
let sharedStore: GpuStateStore | undefined;

export function webgpu(): { device: Promise<WebGpuDeviceInfo>; backend: WebGpuBackend } {
  if (sharedDevice === undefined) {
    const device = requestWebGpuDevice();
    // A failed acquisition is not cached, so a later call may retry.
    device.catch(() => {
      if (sharedDevice === device) {
        sharedDevice = undefined;
        sharedBackend = undefined;
      }
    });
    sharedDevice = device;
  }
  sharedBackend ??= createWebGpuBackend({ device: sharedDevice });
  return { device: sharedDevice, backend: sharedBackend };
}

export interface Resolved {
  readonly name: 'cpu' | 'webgpu';
  readonly reason: string;
}

export async function resolveBackend(option: BackendChoice | undefined, precision: Precision | undefined): Promise<Resolved> {
  const choice = requestedBackend(option);
  switch (choice.requested) {
    case 'cpu':
      return { name: 'cpu', reason: `${choice.source}: CPU interpreter` };
    case 'webgpu': {
      if (precision === 'f64') throw new KilnError({ message: `${choice.source} computes in f32 only, but precision 'f64' was requested` });
      const info = await webgpu().device;
      return { name: 'webgpu', reason: `${choice.source}: ${info.description} (${info.reason})` };
    }
    case 'auto': {
      if (precision === 'f64') return { name: 'cpu', reason: `${choice.source}: precision 'f64' needs the CPU interpreter` };
      try {
        const info = await webgpu().device;
        return { name: 'webgpu', reason: `${choice.source}: ${info.description} (${info.reason})` };
      } catch (e) {
        return { name: 'cpu', reason: `${choice.source}: no WebGPU device (${e instanceof Error ? e.message : String(e)}); using the CPU interpreter` };
      }
    }
    default: {
      const never: never = choice.requested;
      return never;
    }
  }
}

const cpuStores = new Map<Precision, CpuStateStore>();

/** The state store of a backend: one per process for the CPU (per precision) and for the shared WebGPU device. */
export async function stateStoreFor(backend: 'cpu' | 'webgpu', precision: Precision = 'f32'): Promise<StateStore> {
  if (backend === 'cpu') {
    let store = cpuStores.get(precision);
    if (store === undefined) {
      store = new CpuStateStore(precision);
      cpuStores.set(precision, store);
    }
    return store;
  }
  const info = await webgpu().device;
  if (sharedStore?.info !== info) sharedStore = new GpuStateStore(info);
  return sharedStore;
}
