// Frontend: which backend runs a compiled graph (KILN_BACKEND, else the option, else 'auto', with
// the reason), the WebGPU device and backend (one acquired per process, or the caller's own
// GPUDevice), and the device state store of each backend, where every Variable placed on it lives.

import { KilnError } from '@kiln/ir';
import {
  CpuStateStore,
  GpuStateStore,
  createWebGpuBackend,
  providedWebGpuDevice,
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
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const env = proc?.env?.['KILN_BACKEND'];
  return env === undefined || env === '' ? undefined : env;
}

export function requestedBackend(option: BackendChoice | undefined): Choice {
  const env = envBackend();
  if (env !== undefined) {
    if (!(BACKEND_CHOICES as readonly string[]).includes(env)) throw new KilnError({ message: `KILN_BACKEND must be one of ${BACKEND_CHOICES.join(', ')}, got '${env}'` });
    return { requested: env as BackendChoice, source: `KILN_BACKEND=${env}` };
  }
  return option !== undefined ? { requested: option, source: `backend: '${option}'` } : { requested: 'auto', source: 'default auto' };
}

/** A WebGPU device with its backend (pipelines are cached per backend) and state store. */
interface GpuContext {
  readonly device: Promise<WebGpuDeviceInfo>;
  readonly backend: WebGpuBackend;
  store: GpuStateStore | undefined;
  /** Set when the device is lost: the acquired context is then replaced by a fresh device. */
  lost: boolean;
}

/** Marks `ctx` lost when its device is (destroyed, driver reset). */
function watchLoss(ctx: GpuContext): GpuContext {
  ctx.device.then(
    (info) =>
      info.device.lost.then(
        () => {
          ctx.lost = true;
        },
        () => undefined,
      ),
    () => undefined,
  );
  return ctx;
}

/** The device acquired by the device policy: one per process, since devices are costly. */
let acquired: GpuContext | undefined;
/** Devices the caller passed (option `device`), each with its own backend and store. */
const provided = new WeakMap<GPUDevice, GpuContext>();

function contextFor(device: GPUDevice | undefined): GpuContext {
  if (device !== undefined) {
    let ctx = provided.get(device);
    if (ctx === undefined) {
      const info = Promise.resolve(providedWebGpuDevice(device));
      // The caller's device is never replaced: once lost, every use is the device-lost error.
      ctx = watchLoss({ device: info, backend: createWebGpuBackend({ device: info }), store: undefined, lost: false });
      provided.set(device, ctx);
    }
    return ctx;
  }
  // A lost device is dropped: the next graph (or the rebuild of a lost one) gets a fresh device.
  if (acquired === undefined || acquired.lost) {
    const info = requestWebGpuDevice();
    const ctx: GpuContext = watchLoss({ device: info, backend: createWebGpuBackend({ device: info }), store: undefined, lost: false });
    // A failed acquisition is not cached, so a later call may retry.
    info.catch(() => {
      if (acquired === ctx) acquired = undefined;
    });
    acquired = ctx;
  }
  return acquired;
}

/** The WebGPU device and backend: the caller's `device` when given, else the process's shared one. */
export function webgpu(device?: GPUDevice): { device: Promise<WebGpuDeviceInfo>; backend: WebGpuBackend } {
  const ctx = contextFor(device);
  return { device: ctx.device, backend: ctx.backend };
}

export interface Resolved {
  readonly name: 'cpu' | 'webgpu';
  readonly reason: string;
}

let warnedCpuFallback = false;

/** 'auto' ending on the CPU is said once per process, not only in `backendReason`. */
function warnCpuFallback(reason: string): void {
  if (warnedCpuFallback) return;
  warnedCpuFallback = true;
  console.warn(`kiln: ${reason}`);
}

export async function resolveBackend(option: BackendChoice | undefined, precision: Precision | undefined, device?: GPUDevice): Promise<Resolved> {
  const choice = requestedBackend(option);
  const given = device !== undefined;
  if (given && option === 'cpu') throw new KilnError({ message: "backend: 'cpu' was requested together with a GPUDevice (option device): drop one of them" });
  if (given && precision === 'f64')
    throw new KilnError({ message: "precision 'f64' needs the CPU interpreter, but a GPUDevice was given (option device); WebGPU computes in f32 only" });
  switch (choice.requested) {
    case 'cpu':
      return { name: 'cpu', reason: `${choice.source}: CPU interpreter${given ? ' (the GPUDevice given as option device is not used)' : ''}` };
    case 'webgpu': {
      if (precision === 'f64') throw new KilnError({ message: `${choice.source} computes in f32 only, but precision 'f64' was requested` });
      const info = await webgpu(device).device;
      return { name: 'webgpu', reason: `${choice.source}: ${info.description} (${info.reason})` };
    }
    case 'auto': {
      if (precision === 'f64') return { name: 'cpu', reason: `${choice.source}: precision 'f64' needs the CPU interpreter` };
      try {
        const info = await webgpu(device).device;
        return { name: 'webgpu', reason: `${choice.source}: ${info.description} (${info.reason})` };
      } catch (e) {
        // A KilnError's own message, without the "error: " its formatted text starts with.
        const why = e instanceof KilnError ? e.diagnostics.map((d) => d.message).join('; ') : e instanceof Error ? e.message : String(e);
        const reason = `${choice.source}: ${why.startsWith('no WebGPU') ? why : `no WebGPU device (${why})`}; using the CPU interpreter`;
        warnCpuFallback(reason);
        return { name: 'cpu', reason };
      }
    }
    default: {
      const never: never = choice.requested;
      return never;
    }
  }
}

const cpuStores = new Map<Precision, CpuStateStore>();

/**
 * The state store of a backend: one per process for the CPU (per precision), one per WebGPU
 * device (the shared one, or each caller's `device`).
 */
export async function stateStoreFor(backend: 'cpu' | 'webgpu', precision: Precision = 'f32', device?: GPUDevice): Promise<StateStore> {
  if (backend === 'cpu') {
    let store = cpuStores.get(precision);
    if (store === undefined) {
      store = new CpuStateStore(precision);
      cpuStores.set(precision, store);
    }
    return store;
  }
  const ctx = contextFor(device);
  const info = await ctx.device;
  if (ctx.store?.info !== info) ctx.store = new GpuStateStore(info);
  return ctx.store;
}
