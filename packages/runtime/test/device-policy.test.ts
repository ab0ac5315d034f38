// Device acquisition without a real browser: navigator.gpu (a stub) wins over Dawn, its fallback
// adapter is reported as software, a missing adapter fails naming what was tried, a caller's
// GPUDevice is taken as is, and a missing 'webgpu' package is named as such (a child process whose
// resolver hides it, as an install without the optional dependency would: fixtures/hide-webgpu.mjs).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import { providedWebGpuDevice, requestWebGpuDevice } from '../src/index.js';

const LIMITS = {
  maxStorageBuffersPerShaderStage: 10,
  maxComputeWorkgroupStorageSize: 32768,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 1 << 30,
  maxBufferSize: 1 << 30,
};

interface Requested {
  adapter: unknown[];
  device: GPUDeviceDescriptor[];
}

/** A navigator.gpu stand-in: adapters as given per request (null = none), devices as plain objects. */
function stubGpu(adapters: ({ fallback: boolean } | null)[], requested: Requested): GPU {
  let i = 0;
  const gpu = {
    async requestAdapter(opts: unknown) {
      requested.adapter.push(opts);
      const a = adapters[i++] ?? null;
      if (a === null) return null;
      return {
        info: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader Device', isFallbackAdapter: a.fallback },
        limits: LIMITS,
        features: new Set(['timestamp-query', 'subgroups']),
        async requestDevice(desc: GPUDeviceDescriptor) {
          requested.device.push(desc);
          return { limits: LIMITS, features: new Set(desc.requiredFeatures ?? []) };
        },
      };
    },
  };
  return gpu as unknown as GPU;
}

function withNavigator(gpu: GPU): void {
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
}

const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
afterEach(() => {
  if (hadNavigator !== undefined) Object.defineProperty(globalThis, 'navigator', hadNavigator);
  else delete (globalThis as { navigator?: unknown }).navigator;
});

describe('requestWebGpuDevice', () => {
  it('uses navigator.gpu when it exists, raising limits and asking for the optional features', async () => {
    const requested: Requested = { adapter: [], device: [] };
    withNavigator(stubGpu([{ fallback: true }], requested));
    const info = await requestWebGpuDevice();
    expect(info.source).toBe('navigator.gpu');
    expect(info.kind).toBe('software-core');
    expect(info.description).toBe('google swiftshader SwiftShader Device via navigator.gpu');
    expect(info.reason).toBe('navigator.gpu offers only a software (fallback) adapter');
    expect(requested.device[0]!.requiredLimits).toMatchObject({ maxStorageBuffersPerShaderStage: 10, maxBufferSize: 1 << 30 });
    expect(requested.device[0]!.requiredFeatures).toEqual(['timestamp-query', 'subgroups']);
  });

  it('falls back to a compatibility adapter, then fails naming both attempts', async () => {
    const requested: Requested = { adapter: [], device: [] };
    withNavigator(stubGpu([null, { fallback: false }], requested));
    const info = await requestWebGpuDevice();
    expect(info.kind).toBe('compatibility');
    expect(requested.adapter[1]).toEqual({ featureLevel: 'compatibility' });
    expect(info.reason).toBe('navigator.gpu gave no core adapter; navigator.gpu offers a compatibility-mode adapter');

    withNavigator(stubGpu([null, null], { adapter: [], device: [] }));
    const err = await requestWebGpuDevice().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).diagnostics[0]!.message).toBe('no WebGPU: navigator.gpu is present but navigator.gpu gave no core adapter; no compatibility adapter either');
  });

  it('softwareOnly forces the fallback adapter in a browser', async () => {
    const requested: Requested = { adapter: [], device: [] };
    withNavigator(stubGpu([{ fallback: true }], requested));
    await requestWebGpuDevice({ softwareOnly: true });
    expect(requested.adapter[0]).toEqual({ forceFallbackAdapter: true });
  });
});

describe('providedWebGpuDevice', () => {
  it("takes the caller's device as is, with its own limits", () => {
    const device = { limits: LIMITS, adapterInfo: { vendor: 'acme', architecture: 'rdna', device: '', description: '' } } as unknown as GPUDevice;
    const info = providedWebGpuDevice(device);
    expect(info).toMatchObject({ device, adapter: undefined, kind: 'provided', source: 'caller', description: "acme rdna (caller's device)", limits: LIMITS });
    expect(providedWebGpuDevice({ limits: LIMITS } as unknown as GPUDevice).description).toBe("the caller's GPUDevice");
  });
});

describe("without the optional 'webgpu' package", () => {
  it('says so: navigator.gpu is absent and the package is not installed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-no-webgpu-'));
    const here = dirname(fileURLToPath(import.meta.url));
    const runtime = pathToFileURL(join(here, '..', 'src', 'index.ts')).href;
    writeFileSync(
      join(dir, 'child.mjs'),
      `const { requestWebGpuDevice } = await import(${JSON.stringify(runtime)});
try { await requestWebGpuDevice(); console.log('acquired'); } catch (e) { console.log(e.constructor.name + ': ' + e.diagnostics[0].message); }\n`,
    );
    const hide = pathToFileURL(join(here, 'fixtures', 'hide-webgpu.mjs')).href;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', hide, join(dir, 'child.mjs')], { encoding: 'utf8', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe("KilnError: no WebGPU: navigator.gpu is absent and the 'webgpu' package (Dawn for Node, an optional dependency) is not installed");
  });
});
