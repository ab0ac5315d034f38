// Device limits in WGSL codegen: the type and its WebGPU defaults are ir's (one home, shared with
// fusion); codegen re-exports them and adds how a workgroup size is fitted to them.

import type { DeviceLimits } from '@kiln/ir';

export { COMPAT_DEFAULT_LIMITS, CORE_DEFAULT_LIMITS, deviceLimitsOf, type DeviceLimits } from '@kiln/ir';

/** The largest workgroup size (a power of two, at most `want`) that the limits allow. */
export function fitWorkgroupSize(want: number, limits: DeviceLimits): number {
  const cap = Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  let size = 1;
  while (size * 2 <= want && size * 2 <= cap) size *= 2;
  return size;
}
