// Device limits in WGSL codegen: the type and its WebGPU defaults are ir's (one home, shared with
// fusion); codegen re-exports them and adds how a workgroup size is fitted to them.

import { MAX_REDUCTION_LANES, type DeviceLimits } from '@kiln/ir';

export { COMPAT_DEFAULT_LIMITS, CORE_DEFAULT_LIMITS, deviceLimitsOf, type DeviceLimits } from '@kiln/ir';

/** The largest workgroup size (a power of two, at most `want`) that the limits allow. */
export function fitWorkgroupSize(want: number, limits: DeviceLimits): number {
  const cap = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  let size = 1;
  while (size * 2 <= want && size * 2 <= cap) size *= 2;
  return size;
}

/**
 * The workgroup size of a reduction or row kernel: fitWorkgroupSize of `want` (at most
 * MAX_REDUCTION_LANES), halved until `bytesPerLane` of scratch per invocation fits the
 * device's workgroup storage, so every such kernel is legal by construction.
 */
export function fitReductionWorkgroupSize(want: number, bytesPerLane: number, limits: DeviceLimits): number {
  let size = fitWorkgroupSize(Math.min(want, MAX_REDUCTION_LANES), limits);
  while (size > 1 && size * bytesPerLane > limits.maxComputeWorkgroupStorageSize) size /= 2;
  return size;
}
