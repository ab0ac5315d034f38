// Elementwise template: each invocation computes `perThread` output elements (one, two or four vec4s
// when the schedule and the kernel allow vec4, see elementwise-x4.ts), strided or blocked, over a
// linearised workgroup grid (split over x/y/z past 65535 workgroups); the output value function does all the work.

import { KilnError, numel } from '@kiln/ir';
import { linearWorkgroupExpr, splitWorkgroups } from '../dispatch.js';
import { OUTPUT_BUFFER, type KernelEmitter } from '../kernel-emitter.js';
import type { DeviceLimits } from '../limits.js';
import { MAIN_PARAMS, storeOutput, type TemplateResult } from './common.js';
import {
  defaultElementwiseSchedule,
  elementwiseScheduleLabel,
  elementwiseScheduleProblem,
  unitsPerThread,
  type ElementwiseDefaults,
  type ElementwiseSchedule,
} from './elementwise-schedule.js';
import { X4Emitter, vec4Problem } from './elementwise-x4.js';

/**
 * `schedule`: a tuned or forced schedule (default: defaultElementwiseSchedule with `defaults`). A
 * vec4 schedule on a kernel that cannot take vec4 runs its elements per invocation one by one; the
 * template name says what ran (`elementwise-w64-e4-v4`).
 */
export function elementwiseTemplate(em: KernelEmitter, limits: DeviceLimits, schedule?: ElementwiseSchedule, defaults: ElementwiseDefaults = {}): TemplateResult {
  const out = em.kernel.outputs[0]!.value;
  const n = numel(em.typeOf(out).shape);
  const canVec4 = vec4Problem(em) === undefined;
  const s = schedule ?? defaultElementwiseSchedule(limits, canVec4, defaults);
  const problem = elementwiseScheduleProblem(s, limits);
  if (problem !== undefined) throw new KilnError({ message: `kernel @${em.kernel.name}: elementwise schedule ${elementwiseScheduleLabel(s)} cannot run here: ${problem}` });
  const ran: ElementwiseSchedule = { ...s, vec4: s.vec4 && canVec4 };
  const wg = ran.workgroup;
  // Units: vec4s or elements; each invocation handles `per` of them, `wg` apart (strided) or adjacent (blocked).
  const units = ran.vec4 ? n / 4 : n;
  const per = unitsPerThread(ran);
  const grid = splitWorkgroups(Math.ceil(units / (wg * per)), limits.maxComputeWorkgroupsPerDimension);
  const x4 = ran.vec4 ? new X4Emitter(em) : undefined;
  const idx = x4 !== undefined ? 'q' : 'i';
  const store = x4 !== undefined ? `${OUTPUT_BUFFER}[q] = ${x4.value4(out, 'q')};` : storeOutput(em, 'i');
  // Strided: unit j of an invocation sits j·wg after its first; blocked: j after it.
  const [base, step] = ran.order === 'blocked' ? [`(${linearWorkgroupExpr(grid)} * ${wg}u + lid) * ${per}u`, 1] : [`${linearWorkgroupExpr(grid)} * ${wg * per}u + lid`, wg];
  const body =
    per === 1
      ? `  let ${idx} = ${linearWorkgroupExpr(grid)} * ${wg}u + lid;\n  if (${idx} >= ${units}u) { return; }\n  ${store}`
      : [`  let base = ${base};`, ...Array.from({ length: per }, (_, j) => `  { let ${idx} = base + ${j * step}u; if (${idx} < ${units}u) { ${store} } }`)].join('\n');
  const main = `@compute @workgroup_size(${wg},1,1)\nfn main(${MAIN_PARAMS}) {\n${body}\n}`;
  return {
    template: `elementwise-${elementwiseScheduleLabel(ran)}`,
    workgroupSize: wg,
    grid,
    declarations: [],
    functions: x4?.functions() ?? [],
    main,
    ...(ran.vec4 ? { vec4Output: true } : {}),
  };
}
