// Elementwise schedules as data (templates/elementwise-schedule.ts): legality against the limits,
// the candidate sets (legal, distinct, within compat limits), and the default per vec4 eligibility.

import { describe, expect, it } from 'vitest';
import {
  COMPAT_DEFAULT_LIMITS,
  CORE_DEFAULT_LIMITS,
  defaultElementwiseSchedule,
  elementwiseCandidates,
  elementwiseScheduleLabel,
  elementwiseScheduleProblem,
  type ElementwiseSchedule,
} from '../src/index.js';

const s = (perThread: ElementwiseSchedule['perThread'], vec4: boolean, workgroup: number, order: ElementwiseSchedule['order'] = 'strided'): ElementwiseSchedule => ({
  kind: 'elementwise',
  perThread,
  order,
  vec4,
  workgroup,
});

describe('elementwise schedules', () => {
  it('rejects vec4 under 4 elements per invocation, odd or oversized workgroups', () => {
    expect(elementwiseScheduleProblem(s(4, true, 64), CORE_DEFAULT_LIMITS)).toBeUndefined();
    expect(elementwiseScheduleProblem(s(2, true, 64), CORE_DEFAULT_LIMITS)).toMatch(/vec4 needs 4, 8 or 16/);
    expect(elementwiseScheduleProblem(s(1, false, 96), CORE_DEFAULT_LIMITS)).toMatch(/power of two/);
    expect(elementwiseScheduleProblem(s(1, false, 256), COMPAT_DEFAULT_LIMITS)).toMatch(/≤ 128/);
  });

  it('offers only legal, distinct candidates, fewer in quick mode', () => {
    for (const limits of [CORE_DEFAULT_LIMITS, COMPAT_DEFAULT_LIMITS])
      for (const mode of ['quick', 'full'] as const) {
        const c = elementwiseCandidates(mode, limits);
        expect(c.every((x) => elementwiseScheduleProblem(x, limits) === undefined)).toBe(true);
        expect(new Set(c.map(elementwiseScheduleLabel)).size).toBe(c.length);
      }
    expect(elementwiseCandidates('quick', CORE_DEFAULT_LIMITS).length).toBeLessThan(elementwiseCandidates('full', CORE_DEFAULT_LIMITS).length);
  });

  it('offers blocked order only where an invocation has more than one unit, and labels it', () => {
    const c = elementwiseCandidates('full', CORE_DEFAULT_LIMITS);
    const blocked = c.filter((x) => x.order === 'blocked');
    expect(blocked.length).toBeGreaterThan(0);
    expect(blocked.every((x) => (x.vec4 ? x.perThread / 4 : x.perThread) > 1)).toBe(true);
    expect(blocked.every((x) => elementwiseScheduleLabel(x).endsWith('-b'))).toBe(true);
    expect(elementwiseScheduleLabel(s(16, true, 256, 'blocked'))).toBe('w256-e16-v4-b');
    expect(elementwiseScheduleLabel(s(4, true, 256, 'blocked'))).toBe('w256-e4-v4');
    expect(elementwiseCandidates('quick', CORE_DEFAULT_LIMITS).some((x) => x.vec4 && x.order === 'blocked')).toBe(true);
  });

  it('defaults to one vec4 per invocation where vec4 applies, else one element, within the limits', () => {
    expect(elementwiseScheduleLabel(defaultElementwiseSchedule(CORE_DEFAULT_LIMITS, true))).toBe('w256-e4-v4');
    expect(elementwiseScheduleLabel(defaultElementwiseSchedule(CORE_DEFAULT_LIMITS, false))).toBe('w64-e1');
    expect(elementwiseScheduleLabel(defaultElementwiseSchedule(COMPAT_DEFAULT_LIMITS, true))).toBe('w128-e4-v4');
    expect(elementwiseScheduleLabel(defaultElementwiseSchedule(CORE_DEFAULT_LIMITS, true, { workgroup: 32 }))).toBe('w32-e4-v4');
  });

  it('defaults to blocked runs on a software adapter', () => {
    expect(elementwiseScheduleLabel(defaultElementwiseSchedule(CORE_DEFAULT_LIMITS, true, { software: true }))).toBe('w256-e16-v4-b');
    expect(elementwiseScheduleLabel(defaultElementwiseSchedule(CORE_DEFAULT_LIMITS, false, { software: true }))).toBe('w256-e8-b');
    expect(elementwiseScheduleLabel(defaultElementwiseSchedule(COMPAT_DEFAULT_LIMITS, false, { software: true }))).toBe('w128-e8-b');
  });
});
