// Benchmarks: a browser-like `navigator.gpu` for the peer libraries (TF.js, jax-js) in Node, from
// the `webgpu` package (Dawn), with Kiln's adapter policy: a hardware adapter first,
// else Dawn's OpenGL ES backend in compatibility mode (Mesa llvmpipe, EGL_PLATFORM=surfaceless).

import { availableParallelism } from 'node:os';
import { create, globals } from 'webgpu';

export interface GpuShim {
  /** What the libraries will get from navigator.gpu.requestAdapter(). */
  readonly adapter: GPUAdapter;
  readonly description: string;
  readonly software: boolean;
  readonly timestampQuery: boolean;
}

/** Dawn instances must outlive their devices (see packages/runtime device.ts). */
const keepAlive: GPU[] = [];

function describe(adapter: GPUAdapter): string {
  const i = adapter.info;
  return (
    [i.vendor, i.architecture, i.device, i.description]
      .filter((s) => s !== undefined && s !== '')
      .join(' ')
      .trim() || 'unknown adapter'
  );
}

/**
 * Installs the WebGPU globals (GPUBufferUsage, …) and `globalThis.navigator.gpu`; call before
 * importing a library that probes for WebGPU at import time (TF.js does).
 */
export async function installNavigatorGpu(): Promise<GpuShim> {
  process.env['EGL_PLATFORM'] ??= 'surfaceless';
  Object.assign(globalThis, globals);
  let gpu = create([]);
  keepAlive.push(gpu);
  let adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  let software = false;
  if (adapter === null || adapter.info.isFallbackAdapter) {
    gpu = create(['backend=opengles']);
    keepAlive.push(gpu);
    adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' });
    software = true;
  }
  if (adapter === null) throw new Error('no WebGPU adapter (neither hardware nor Dawn OpenGL ES/llvmpipe)');
  const chosen = gpu;
  const extra: GPURequestAdapterOptions = software ? { featureLevel: 'compatibility' } : {};
  const shim = {
    requestAdapter: (opts: GPURequestAdapterOptions = {}): Promise<GPUAdapter | null> => chosen.requestAdapter({ ...opts, ...extra }),
    getPreferredCanvasFormat: (): GPUTextureFormat => 'rgba8unorm',
    wgslLanguageFeatures: new Set<string>(),
  };
  const nav = { gpu: shim, userAgent: 'Node.js', hardwareConcurrency: availableParallelism(), language: 'en-US' };
  Object.defineProperty(globalThis, 'navigator', { value: nav, configurable: true, writable: true });
  const description = `${describe(adapter)}${software ? ' via Dawn OpenGL ES (compatibility)' : ''}`;
  return { adapter, description, software, timestampQuery: adapter.features.has('timestamp-query') };
}

/** The description of a hardware (non-fallback) adapter, or undefined when there is none. */
export async function probeHardwareAdapter(): Promise<string | undefined> {
  try {
    const gpu = create([]);
    keepAlive.push(gpu);
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter === null || adapter.info.isFallbackAdapter ? undefined : describe(adapter);
  } catch {
    return undefined;
  }
}
