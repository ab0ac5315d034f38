// WebGPU device acquisition (DESIGN.md device policy): a hardware adapter first (Dawn's
// default backends: Vulkan/Metal/D3D12), then a software adapter with core features (a CPU
// Vulkan driver such as Mesa lavapipe, when installed), then Dawn's OpenGL ES backend in
// compatibility mode (Mesa llvmpipe on headless Linux, EGL_PLATFORM=surfaceless). Reports which
// one and why. Native warnings printed meanwhile (Dawn, Mesa, Vulkan layers) are kept off stderr
// (see native-log.ts); set KILN_VERBOSE=1 to see all native output untouched.

import { KilnError } from '@kiln/ir';
import type { DeviceLimits } from '@kiln/codegen-wgsl';
import { NativeStderr, quietNativeEnvironment, vulkanLoaderAbsent } from './native-log.js';

export type WebGpuAdapterKind = 'hardware' | 'software-core' | 'opengles-compat';

export interface WebGpuDeviceInfo {
  readonly device: GPUDevice;
  readonly adapter: GPUAdapter;
  readonly kind: WebGpuAdapterKind;
  /** Adapter description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) via Dawn OpenGL ES (compatibility)". */
  readonly description: string;
  /** Why this adapter was picked (what was tried before it). */
  readonly reason: string;
  /** The limits granted to the device: what codegen must respect. */
  readonly limits: DeviceLimits;
}

export interface WebGpuDeviceOptions {
  /** Skip the hardware attempt and go straight to the OpenGL ES compatibility adapter. */
  readonly softwareOnly?: boolean;
}

interface DawnModule {
  create(flags: string[]): GPU;
}

/** Limits worth raising from the (low) defaults to what the adapter supports. */
const RAISED_LIMITS = [
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
  'maxBufferSize',
] as const;

const OPTIONAL_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'subgroups' as GPUFeatureName];

async function loadDawn(): Promise<DawnModule> {
  try {
    return (await import('webgpu')) as DawnModule;
  } catch (e) {
    throw new KilnError({ message: `the 'webgpu' package (Dawn for Node) could not be loaded: ${e instanceof Error ? e.message : String(e)}` });
  }
}

function describe(adapter: GPUAdapter): string {
  const i = adapter.info;
  return [i.vendor, i.architecture, i.device, i.description].filter((s) => s !== undefined && s !== '').join(' ').trim() || 'unknown adapter';
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
  return log.capture(() => gpu.requestAdapter({ featureLevel } as GPURequestAdapterOptions));
}

export async function requestWebGpuDevice(opts: WebGpuDeviceOptions = {}): Promise<WebGpuDeviceInfo> {
  // EGL reads this when Dawn's GL backend opens a display; without it Mesa looks for X11/Wayland.
  process.env['EGL_PLATFORM'] ??= 'surfaceless';
  await quietNativeEnvironment();
  const log = await NativeStderr.open();
  let acquired = false;
  try {
    const info = await acquire(opts, log);
    acquired = true;
    return info;
  } finally {
    log.flush(acquired);
  }
}

async function acquire(opts: WebGpuDeviceOptions, log: NativeStderr): Promise<WebGpuDeviceInfo> {
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
        tried.push(`no hardware adapter, only the software adapter ${describe(adapter)}`);
        kind = 'software-core';
      }
    } catch (e) {
      tried.push(`hardware adapter request failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else tried.push('hardware adapter not tried (softwareOnly)');
  if (adapter === null) {
    kind = 'opengles-compat';
    try {
      adapter = await adapterFrom(dawn, log, ['backend=opengles'], 'compatibility');
      if (adapter === null) tried.push('no OpenGL ES adapter (is Mesa EGL installed? libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)');
    } catch (e) {
      tried.push(`OpenGL ES adapter request failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (adapter === null) throw new KilnError({ message: `no WebGPU adapter: ${tried.join('; ')}` });
  const requiredLimits: Record<string, number> = {};
  for (const key of RAISED_LIMITS) requiredLimits[key] = adapter.limits[key];
  // Timestamps give benchmarks GPU-busy time, subgroups shorter reductions: each requested only
  // where the adapter offers it.
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter!.features.has(f));
  const chosen = adapter;
  const device = await log.capture(() => chosen.requestDevice({ requiredLimits, requiredFeatures }));
  const description = `${describe(adapter)}${kind === 'opengles-compat' ? ' via Dawn OpenGL ES (compatibility)' : kind === 'software-core' ? ' (software, core features)' : ''}`;
  const reason =
    kind === 'hardware'
      ? 'hardware adapter found'
      : kind === 'software-core'
        ? `${tried.join('; ')}; using it with core features`
        : `${tried.join('; ')}; using Dawn's OpenGL ES backend in compatibility mode`;
  return { device, adapter, kind, description, reason, limits: device.limits };
}
