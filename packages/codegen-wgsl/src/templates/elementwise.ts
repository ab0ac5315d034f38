// Elementwise template: one invocation per output element over a linearised workgroup grid
// (split over x/y/z past 65535 workgroups); the output value function does all the work.

import { numel } from '@kiln/ir';
import { linearWorkgroupExpr, splitWorkgroups } from '../dispatch.js';
import type { KernelEmitter } from '../kernel-emitter.js';
import { fitWorkgroupSize, type DeviceLimits } from '../limits.js';
import { MAIN_PARAMS, storeOutput, type TemplateResult } from './common.js';

export function elementwiseTemplate(em: KernelEmitter, limits: DeviceLimits, preferredSize = 64): TemplateResult {
  const out = em.kernel.outputs[0]!.value;
  const n = numel(em.typeOf(out).shape);
  const wg = fitWorkgroupSize(preferredSize, limits);
  const grid = splitWorkgroups(Math.ceil(n / wg), limits.maxComputeWorkgroupsPerDimension);
  const main = `@compute @workgroup_size(${wg},1,1)
fn main(${MAIN_PARAMS}) {
  let i = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;
  if (i >= ${n}u) { return; }
  ${storeOutput(em, 'i')}
}`;
  return { template: 'elementwise', workgroupSize: wg, grid, declarations: [], functions: [], main };
}
