// Device limits that WGSL codegen must respect (a structural subset of GPUSupportedLimits, so the
// runtime passes `device.limits` as is; codegen itself never touches WebGPU objects).

export interface DeviceLimits {
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxStorageBufferBindingSize: number;
}

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

/** The largest workgroup size (a power of two, at most `want`) that the limits allow. */
export function fitWorkgroupSize(want: number, limits: DeviceLimits): number {
  const cap = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  let size = 1;
  while (size * 2 <= want && size * 2 <= cap) size *= 2;
  return size;
}
