// Node only (the `node` target of the `#dawn` import): a device from Dawn, the optional `webgpu`
// package. A hardware adapter first (Dawn's default backends: Vulkan/Metal/D3D12), then a software
// adapter with core features (a CPU Vulkan driver such as Mesa lavapipe, when installed), then
// Dawn's OpenGL ES backend in compatibility mode (Mesa llvmpipe on headless Linux,
// EGL_PLATFORM=surfaceless). Native warnings printed meanwhile (Dawn, Mesa, Vulkan layers) are
// kept off stderr (see native-log.ts); set KILN_VERBOSE=1 to see all native output untouched.

import { KilnError } from '@kiln/ir';
import { describeAdapter, deviceDescriptorFor, errorText } from './adapter.js';
import type { WebGpuAdapterKind, WebGpuDeviceInfo, WebGpuDeviceOptions } from './device.js';
import type { NativeStderr } from './native-log.js';

interface DawnModule {
  create(flags: string[]): GPU;
}

/** True when the failure is the package itself missing, not one of its own imports failing. */
function notInstalled(e: unknown): boolean {
  // Node: "Cannot find package 'webgpu' imported from …"; Vite's module runner: "Failed to load url webgpu …".
  return /Cannot find (?:package|module) ['"]webgpu['"]|Failed to (?:load|resolve) (?:url|import) ['"]?webgpu\b/.test(errorText(e));
}

async function loadDawn(): Promise<DawnModule> {
  try {
    return await import('webgpu');
  } catch (e) {
    if (notInstalled(e)) throw new KilnError({ message: "no WebGPU: navigator.gpu is absent and the 'webgpu' package (Dawn for Node, an optional dependency) is not installed" });
    throw new KilnError({ message: `no WebGPU: navigator.gpu is absent and the 'webgpu' package (Dawn for Node) failed to load: ${errorText(e)}` });
  }
}

/**
 * Dawn instances live as long as the process: if the GPU object returned by create() is
 * garbage-collected, Dawn tears the instance down under its live devices and the process
 * crashes in a mutex assertion.
 */
const instances = new Map<string, GPU>();

async function adapterFrom(dawn: DawnModule, log: NativeStderr, flags: string[], featureLevel: 'core' | 'compatibility'): Promise<GPUAdapter | null> {
  const key = flags.join(',');
  const gpu = instances.get(key) ?? log.capture(() => dawn.create(flags));
  instances.set(key, gpu);
  // Adapter discovery (and Dawn's warnings about it) happens inside this call, before it returns.
  return log.capture(() => gpu.requestAdapter({ featureLevel }));
}

export async function requestDawnDevice(opts: WebGpuDeviceOptions): Promise<WebGpuDeviceInfo> {
  // EGL reads this when Dawn's GL backend opens a display; without it Mesa looks for X11/Wayland.
  process.env['EGL_PLATFORM'] ??= 'surfaceless';
  const native = await import('./native-log.js');
  await native.quietNativeEnvironment();
  const log = await native.NativeStderr.open();
  let acquired = false;
  try {
    const info = await acquire(opts, log, native.vulkanLoaderAbsent);
    acquired = true;
    return info;
  } finally {
    log.flush(acquired);
  }
}

async function acquire(opts: WebGpuDeviceOptions, log: NativeStderr, vulkanLoaderAbsent: () => Promise<boolean>): Promise<WebGpuDeviceInfo> {
  const dawn = await loadDawn();
  const tried: string[] = [];
  let adapter: GPUAdapter | null = null;
  let kind: WebGpuAdapterKind = 'hardware';
  if (opts.softwareOnly !== true) {
    try {
      // Without a loadable Vulkan loader Dawn's default backends find nothing (and say so on
      // stderr): the attempt is skipped, with the same outcome.
      adapter = (await vulkanLoaderAbsent()) ? null : await adapterFrom(dawn, log, [], 'core');
      if (adapter === null) tried.push('no hardware adapter (Dawn default backends found none)');
      else if (adapter.info.isFallbackAdapter) {
        // A CPU driver with the full core feature set still beats the compatibility-mode GL path.
        tried.push(`no hardware adapter, only the software adapter ${describeAdapter(adapter.info)}`);
        kind = 'software-core';
      }
    } catch (e) {
      tried.push(`hardware adapter request failed: ${errorText(e)}`);
    }
  } else tried.push('hardware adapter not tried (softwareOnly)');
  if (adapter === null) {
    kind = 'opengles-compat';
    try {
      adapter = await adapterFrom(dawn, log, ['backend=opengles'], 'compatibility');
      if (adapter === null) tried.push('no OpenGL ES adapter (is Mesa EGL installed? libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)');
    } catch (e) {
      tried.push(`OpenGL ES adapter request failed: ${errorText(e)}`);
    }
  }
  if (adapter === null) throw new KilnError({ message: `no WebGPU: navigator.gpu is absent and Dawn found no adapter: ${tried.join('; ')}` });
  const chosen = adapter;
  const device = await log.capture(() => chosen.requestDevice(deviceDescriptorFor(chosen)));
  const description = `${describeAdapter(adapter.info)}${kind === 'opengles-compat' ? ' via Dawn OpenGL ES (compatibility)' : kind === 'software-core' ? ' (software, core features)' : ''}`;
  const reason =
    kind === 'hardware'
      ? 'hardware adapter found'
      : kind === 'software-core'
        ? `${tried.join('; ')}; using it with core features`
        : `${tried.join('; ')}; using Dawn's OpenGL ES backend in compatibility mode`;
  return { device, adapter, kind, source: 'dawn', description, reason, limits: device.limits };
}
