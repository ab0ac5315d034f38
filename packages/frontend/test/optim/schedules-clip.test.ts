// Learning-rate schedules (host values and in-graph values against hand formulas), schedules
// driving a compiled optimizer across runs, and gradient clipping by global norm.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { interpret } from '@kiln/runtime';

const { stepDecay, exponentialDecay, cosineDecay, linearWarmup, scheduleValue, scheduleTensor } = k.optim;

/** The schedule evaluated by the interpreter (f32) at each step. */
function inGraph(s: k.optim.Schedule, steps: readonly number[]): number[] {
  const t = k.trace(({ step }) => ({ lr: scheduleTensor(s, step) }), { step: k.f32([]) });
  return steps.map((step) => interpret(t.graph, { step })['lr']!.data[0]!);
}

function close(a: readonly number[], b: readonly number[], tol = 1e-6): void {
  expect(a.length).toBe(b.length);
  b.forEach((e, i) => expect(Math.abs(a[i]! - e), `[${i}] ${a[i]} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e))));
}

const STEPS = [0, 1, 2, 9, 10, 11, 29, 30, 31, 100];

describe('schedules', () => {
  const cases: [string, k.optim.Schedule, (s: number) => number][] = [
    ['step decay: halve every 10', stepDecay(0.4, { every: 10, gamma: 0.5 }), (s) => 0.4 / 2 ** Math.floor(s / 10)],
    ['exponential: 0.1 · 0.5^(s/10)', exponentialDecay(0.1, { every: 10, rate: 0.5 }), (s) => 0.1 * Math.pow(2, -s / 10)],
    ['exponential staircase', exponentialDecay(0.1, { every: 10, rate: 0.5, staircase: true }), (s) => 0.1 * Math.pow(2, -Math.floor(s / 10))],
    ['cosine to 10% over 30 steps', cosineDecay(1, { steps: 30, alpha: 0.1 }), (s) => 0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * Math.min(s, 30)) / 30))],
    ['warmup 10 steps into 0.5', linearWarmup(10, 0.5), (s) => (s < 10 ? (0.5 * (s + 1)) / 10 : 0.5)],
    ['warmup 10 steps into cosine over 20', linearWarmup(10, cosineDecay(2, { steps: 20 })), (s) => (s < 10 ? (2 * (s + 1)) / 10 : 1 + Math.cos((Math.PI * Math.min(s - 10, 20)) / 20))],
  ];
  for (const [name, sched, want] of cases) {
    it(name, () => {
      const expected = STEPS.map(want);
      close(
        STEPS.map((s) => scheduleValue(sched, s)),
        expected,
        1e-12,
      );
      close(inGraph(sched, STEPS), expected, 2e-6);
    });
  }

  it('spot values: cosine midpoint is the mean of the ends; warmup reaches the peak on its last step', () => {
    expect(scheduleValue(cosineDecay(1, { steps: 100, alpha: 0 }), 50)).toBeCloseTo(0.5, 12);
    expect(scheduleValue(linearWarmup(5, 0.3), 4)).toBeCloseTo(0.3, 12);
    expect(scheduleValue(stepDecay(1, { every: 3 }), 6)).toBeCloseTo(0.01, 12);
  });

  it('rejects bad parameters', () => {
    expect(() => stepDecay(1, { every: 0 })).toThrowError(/positive integer/);
    expect(() => exponentialDecay(1, { every: 2, rate: 0 })).toThrowError(/rate must be > 0/);
  });

  it('drive one compiled graph: sgd steps shrink by the schedule from the step counter', async () => {
    const lr = exponentialDecay(0.1, { every: 1, rate: 0.5 });
    const traced = k.trace(() => {
      const w = k.param('w', [], k.init.constant(0));
      const loss = w.mul(-1); // gradient -1: each step adds lr
      return { loss, updates: k.optim.sgd({ lr }).minimize(loss) };
    }, {});
    const step = await k.compile(traced);
    const ws: number[] = [];
    for (let i = 0; i < 4; i++) {
      await step.run({});
      ws.push((await step.getParam('w'))[0]!);
    }
    close(ws, [0.1, 0.15, 0.175, 0.1875]);
    expect(Array.from(await step.getParam('sgd.step'))).toEqual([4]);
  });
});

describe('gradient clipping by global norm', () => {
  const run = async (clipNorm: number | undefined): Promise<{ a: number[]; b: number[]; norm: number | undefined }> => {
    // Gradients: d/da = [3, 0], d/db = [4] → global norm 5.
    const traced = k.trace(() => {
      const a = k.param('a', [2], k.init.zeros());
      const b = k.param('b', [1], k.init.zeros());
      const loss = a
        .mul(k.constant([3, 0]))
        .sum()
        .add(b.mul(4).sum());
      const info = k.optim.sgd({ lr: 1, ...(clipNorm !== undefined ? { clipNorm } : {}) }).update(loss);
      return { loss, ...(info.gradNorm !== undefined ? { norm: info.gradNorm } : {}), updates: info.updates };
    }, {});
    const step = await k.compile(traced);
    const out = await step.run({});
    return { a: Array.from(await step.getParam('a')), b: Array.from(await step.getParam('b')), norm: out['norm'] as number | undefined };
  };

  it('rescales to the max norm when above it, keeping directions', async () => {
    const r = await run(1);
    expect(r.norm).toBeCloseTo(5, 6);
    close(r.a, [-0.6, 0]);
    close(r.b, [-0.8]);
  });

  it('leaves gradients within the max norm unchanged', async () => {
    const r = await run(10);
    close(r.a, [-3, 0]);
    close(r.b, [-4]);
    expect((await run(undefined)).norm).toBeUndefined();
  });

  it('globalNorm and clipByGlobalNorm on their own', () => {
    const t = k.trace(
      ({ x, y }) => {
        const { grads, norm } = k.optim.clipByGlobalNorm([x, y], 2);
        return { norm, gx: grads[0]!, gy: grads[1]!, n2: k.optim.globalNorm([x]) };
      },
      { x: k.f32([2]), y: k.f32([2, 1]) },
    );
    const out = interpret(t.graph, { x: [1, 2], y: [2, 4] });
    const n = Math.sqrt(1 + 4 + 4 + 16);
    expect(out['norm']!.data[0]).toBeCloseTo(n, 5);
    expect(out['n2']!.data[0]).toBeCloseTo(Math.sqrt(5), 6);
    close(Array.from(out['gx']!.data), [2 / n, 4 / n]);
    close(Array.from(out['gy']!.data), [4 / n, 8 / n]);
  });
});
