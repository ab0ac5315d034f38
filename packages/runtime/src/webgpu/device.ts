// WebGPU device acquisition (the device policy: a hardware adapter first, else software): the page's `navigator.gpu` where it exists
// (browsers, Deno), else Dawn in Node (the optional `webgpu` package, loaded only there through the
// `#dawn` conditional import), or a GPUDevice the caller already owns, used as is. Every result
// says where its device came from and why; every failure says what was tried.

import { KilnError } from '@kiln/ir';
import type { DeviceLimits } from '@kiln/codegen-wgsl';
import { describeAdapter, deviceDescriptorFor, errorText } from './adapter.js';
import { isNode, navigatorGpu } from './environment.js';

/**
 * What kind of adapter the device runs on: a hardware GPU, a software one with core features
 * (SwiftShader, lavapipe), Dawn's OpenGL ES backend in compatibility mode (llvmpipe), a browser's
 * compatibility-mode adapter, or unknown (a caller's device).
 */
export type WebGpuAdapterKind = 'hardware' | 'software-core' | 'opengles-compat' | 'compatibility' | 'provided';

/** Where the device came from. */
export type WebGpuDeviceSource = 'navigator.gpu' | 'dawn' | 'caller';

export interface WebGpuDeviceInfo {
  readonly device: GPUDevice;
  /** The adapter the device was requested from; undefined for a caller's device. */
  readonly adapter: GPUAdapter | undefined;
  readonly kind: WebGpuAdapterKind;
  readonly source: WebGpuDeviceSource;
  /** Adapter description, e.g. "llvmpipe (LLVM 15.0.6, 256 bits) via Dawn OpenGL ES (compatibility)". */
  readonly description: string;
  /** Why this adapter was picked (what was tried before it). */
  readonly reason: string;
  /** The limits granted to the device (its own GPUSupportedLimits, a DeviceLimits as is): what fusion and codegen must respect. */
  readonly limits: DeviceLimits;
}

/** The adapter emulates a GPU on the CPU (a fallback adapter, or llvmpipe, lavapipe, SwiftShader, softpipe by name). */
export function isSoftwareAdapter(info: Pick<WebGpuDeviceInfo, 'kind' | 'description'>): boolean {
  return info.kind === 'software-core' || /llvmpipe|lavapipe|swiftshader|softpipe/i.test(info.description);
}

export interface WebGpuDeviceOptions {
  /** Only a software adapter: Dawn's OpenGL ES one in Node, the fallback adapter in a browser. */
  readonly softwareOnly?: boolean;
}

export async function requestWebGpuDevice(opts: WebGpuDeviceOptions = {}): Promise<WebGpuDeviceInfo> {
  const gpu = navigatorGpu();
  if (gpu !== undefined) return fromNavigator(gpu, opts);
  if (!isNode()) throw new KilnError({ message: "no WebGPU: navigator.gpu is absent (this browser has no WebGPU, or it is turned off) and Dawn's 'webgpu' package runs only in Node" });
  // Resolved through the package's conditional imports: the Node build of this module holds Dawn
  // and the native-log plumbing; everywhere else it is a stub, so bundles never see node: imports.
  const { requestDawnDevice } = await import('#dawn');
  return requestDawnDevice(opts);
}

async function fromNavigator(gpu: GPU, opts: WebGpuDeviceOptions): Promise<WebGpuDeviceInfo> {
  const tried: string[] = [];
  let adapter: GPUAdapter | null = null;
  let kind: WebGpuAdapterKind = 'hardware';
  try {
    adapter = await gpu.requestAdapter(opts.softwareOnly === true ? { forceFallbackAdapter: true } : {});
    if (adapter === null) tried.push('navigator.gpu gave no core adapter');
  } catch (e) {
    tried.push(`navigator.gpu core adapter request failed: ${errorText(e)}`);
  }
  if (adapter === null) {
    kind = 'compatibility';
    try {
      adapter = await gpu.requestAdapter({ featureLevel: 'compatibility' });
      if (adapter === null) tried.push('no compatibility adapter either');
    } catch (e) {
      tried.push(`compatibility adapter request failed: ${errorText(e)}`);
    }
  }
  if (adapter === null) throw new KilnError({ message: `no WebGPU: navigator.gpu is present but ${tried.join('; ')}` });
  // GPUAdapter.info is recent (Chrome 127); older browsers lack it.
  const info = (adapter as { info?: GPUAdapterInfo }).info;
  if (kind === 'hardware' && info?.isFallbackAdapter === true) kind = 'software-core';
  const chosen = adapter;
  let device: GPUDevice;
  try {
    device = await chosen.requestDevice(deviceDescriptorFor(chosen));
  } catch (e) {
    throw new KilnError({ message: `no WebGPU: navigator.gpu's adapter ${describeAdapter(info)} gave no device: ${errorText(e)}` });
  }
  const what = kind === 'hardware' ? 'a hardware adapter' : kind === 'software-core' ? 'only a software (fallback) adapter' : 'a compatibility-mode adapter';
  const reason = [...tried, `navigator.gpu offers ${what}${opts.softwareOnly === true ? ' (softwareOnly: fallback adapter forced)' : ''}`].join('; ');
  return { device, adapter, kind, source: 'navigator.gpu', description: `${describeAdapter(info)} via navigator.gpu`, reason, limits: device.limits };
}

/**
 * The device info of a GPUDevice the caller already owns (a page's renderer, say): used as is, so
 * Kiln respects whatever limits it was created with and never destroys it.
 */
export function providedWebGpuDevice(device: GPUDevice): WebGpuDeviceInfo {
  // GPUDevice.adapterInfo is recent (Chrome 128, Dawn 2024); older implementations lack it.
  const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const description = info !== undefined ? `${describeAdapter(info)} (caller's device)` : "the caller's GPUDevice";
  return { device, adapter: undefined, kind: 'provided', source: 'caller', description, reason: "option device: the caller's GPUDevice, used as is", limits: device.limits };
}
