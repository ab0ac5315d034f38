// Adapter helpers shared by both device paths (navigator.gpu in device.ts, Dawn in dawn-device.ts):
// what a device is requested with, and how adapters and failures are described.

import { DEVICE_LIMIT_NAMES } from '@kiln/ir';

/** Limits worth raising from the (low) defaults to what the adapter supports: those kernels depend on, and the buffer size. */
const RAISED_LIMITS = [...DEVICE_LIMIT_NAMES, 'maxBufferSize'] as const;

const OPTIONAL_FEATURES: readonly GPUFeatureName[] = ['timestamp-query', 'subgroups'];

/** What requestDevice is asked for: the raised limits and the optional features the adapter has. */
export function deviceDescriptorFor(adapter: GPUAdapter): GPUDeviceDescriptor {
  const requiredLimits: Record<string, number> = {};
  for (const key of RAISED_LIMITS) requiredLimits[key] = adapter.limits[key];
  // Timestamps give benchmarks GPU-busy time, subgroups shorter reductions: each requested only
  // where the adapter offers it.
  const requiredFeatures = OPTIONAL_FEATURES.filter((f) => adapter.features.has(f));
  return { requiredLimits, requiredFeatures };
}

export function describeAdapter(info: GPUAdapterInfo | undefined): string {
  if (info === undefined) return 'unknown adapter';
  return (
    [info.vendor, info.architecture, info.device, info.description]
      .filter((s) => s !== undefined && s !== '')
      .join(' ')
      .trim() || 'unknown adapter'
  );
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
