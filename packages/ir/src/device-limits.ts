// The device limits every later layer respects, by their WebGPU names: fusion (passes) reads the
// binding and workgroup-memory limits, WGSL codegen all of them, the runtime fills them from its
// device. The one conversion from a GPUSupportedLimits (or any superset) lives here.

/** The names of the WebGPU limits Kiln's kernels depend on. */
export const DEVICE_LIMIT_NAMES = [
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupsPerDimension',
  'maxStorageBufferBindingSize',
] as const;

export type DeviceLimitName = (typeof DEVICE_LIMIT_NAMES)[number];

/** A structural subset of GPUSupportedLimits, so a device's `limits` is one as is. */
export type DeviceLimits = { readonly [K in DeviceLimitName]: number };

/** WebGPU compatibility-mode defaults: what a device gets when it requests no limits. */
export const COMPAT_DEFAULT_LIMITS: DeviceLimits = {
  maxStorageBuffersPerShaderStage: 4,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 128,
  maxComputeWorkgroupSizeX: 128,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 134217728,
};

/** Core-mode defaults (also what Mesa llvmpipe grants through Dawn's OpenGL ES backend when asked). */
export const CORE_DEFAULT_LIMITS: DeviceLimits = {
  maxStorageBuffersPerShaderStage: 8,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupsPerDimension: 65535,
  maxStorageBufferBindingSize: 134217728,
};

/**
 * A plain copy of the limits Kiln uses, read from a device's (or adapter's) GPUSupportedLimits:
 * that object dies with its device, and carries many limits no kernel depends on.
 */
export function deviceLimitsOf(limits: DeviceLimits): DeviceLimits {
  const copy: Record<DeviceLimitName, number> = { ...CORE_DEFAULT_LIMITS };
  for (const name of DEVICE_LIMIT_NAMES) copy[name] = limits[name];
  return copy;
}
