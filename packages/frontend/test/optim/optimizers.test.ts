// Optimizers on a tiny quadratic: three compiled steps of each optimizer against the textbook
// update computed by hand in plain JS (f64), compared at f32 tolerance, slots included.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';

const W0 = [1, -2, 0.5, 3];
const A = [1, 2, 0.5, 4];
const C = [0.25, 1, -1, 2];

/** The gradient of L(w) = ½ Σ a (w - c)². */
const grad = (w: readonly number[]): number[] => w.map((v, i) => A[i]! * (v - C[i]!));

/** Traces the quadratic with `opt`, runs it `steps` times and returns every state after each run. */
async function run(opt: k.optim.Optimizer, steps: number): Promise<Record<string, number[]>[]> {
  const traced = k.trace(() => {
    const w = k.param('w', [4], k.init.values(W0));
    const a = k.constant(A);
    const c = k.constant(C);
    const loss = w.sub(c).square().mul(a).sum().mul(0.5);
    return { loss, updates: opt.minimize(loss) };
  }, {});
  const step = await k.compile(traced, { backend: 'cpu' });
  const snaps: Record<string, number[]>[] = [];
  for (let i = 0; i < steps; i++) {
    await step.run({});
    const ps = await step.params();
    snaps.push(Object.fromEntries(Object.entries(ps).map(([n, v]) => [n, Array.from(v)])));
  }
  return snaps;
}

function expectClose(actual: readonly number[] | undefined, expected: readonly number[], what: string, tol = 2e-6): void {
  expect(actual, what).toBeDefined();
  expect(actual!.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual![i]! - e), `${what}[${i}]: ${actual![i]} vs ${e}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e))));
}

/** Runs a hand-written reference update `ref` three times and compares every named state. */
async function check(opt: k.optim.Optimizer, init: Record<string, number[]>, ref: (s: Record<string, number[]>, t: number) => void): Promise<void> {
  const got = await run(opt, 3);
  const s: Record<string, number[]> = { w: [...W0], ...init };
  for (let t = 1; t <= 3; t++) {
    ref(s, t);
    const snap = got[t - 1]!;
    expect(Object.keys(snap).sort()).toEqual(Object.keys(s).concat(`${opt.name}.step`).sort());
    for (const [name, v] of Object.entries(s)) expectClose(snap[name], v, `${name} after step ${t}`);
    expect(snap[`${opt.name}.step`]).toEqual([t]);
  }
}

const zeros = (): number[] => [0, 0, 0, 0];

describe('optimizers match the textbook updates for 3 steps', () => {
  it('sgd: w -= lr g', async () => {
    await check(k.optim.sgd({ lr: 0.1 }), {}, (s) => {
      const g = grad(s['w']!);
      s['w'] = s['w']!.map((w, i) => w - 0.1 * g[i]!);
    });
  });

  it('sgd with L2 weight decay: g + λw', async () => {
    await check(k.optim.sgd({ lr: 0.1, weightDecay: 0.5 }), {}, (s) => {
      const g = grad(s['w']!);
      s['w'] = s['w']!.map((w, i) => w - 0.1 * (g[i]! + 0.5 * w));
    });
  });

  it('momentum: v = μv + g, w -= lr v', async () => {
    await check(k.optim.momentum({ lr: 0.05, momentum: 0.8 }), { 'momentum.v.w': zeros() }, (s) => {
      const g = grad(s['w']!);
      s['momentum.v.w'] = s['momentum.v.w']!.map((v, i) => 0.8 * v + g[i]!);
      s['w'] = s['w']!.map((w, i) => w - 0.05 * s['momentum.v.w']![i]!);
    });
  });

  it('nesterov: v = μv + g, w -= lr (g + μv)', async () => {
    await check(k.optim.nesterov({ lr: 0.05, momentum: 0.9 }), { 'nesterov.v.w': zeros() }, (s) => {
      const g = grad(s['w']!);
      const v = s['nesterov.v.w']!.map((v0, i) => 0.9 * v0 + g[i]!);
      s['nesterov.v.w'] = v;
      s['w'] = s['w']!.map((w, i) => w - 0.05 * (g[i]! + 0.9 * v[i]!));
    });
  });

  it('rmsprop: s = ρs + (1-ρ)g², w -= lr g / (√s + ε)', async () => {
    await check(k.optim.rmsprop({ lr: 0.01, rho: 0.9, eps: 1e-6 }), { 'rmsprop.ms.w': zeros() }, (s) => {
      const g = grad(s['w']!);
      s['rmsprop.ms.w'] = s['rmsprop.ms.w']!.map((m, i) => 0.9 * m + 0.1 * g[i]! ** 2);
      s['w'] = s['w']!.map((w, i) => w - (0.01 * g[i]!) / (Math.sqrt(s['rmsprop.ms.w']![i]!) + 1e-6));
    });
  });

  it('adagrad: G += g², w -= lr g / (√G + ε), with an initial accumulator', async () => {
    await check(k.optim.adagrad({ lr: 0.5, eps: 1e-10, initialAccumulator: 0.1 }), { 'adagrad.acc.w': [0.1, 0.1, 0.1, 0.1] }, (s) => {
      const g = grad(s['w']!);
      s['adagrad.acc.w'] = s['adagrad.acc.w']!.map((a, i) => a + g[i]! ** 2);
      s['w'] = s['w']!.map((w, i) => w - (0.5 * g[i]!) / (Math.sqrt(s['adagrad.acc.w']![i]!) + 1e-10));
    });
  });

  const adamRef =
    (lr: number | ((t: number) => number), b1: number, b2: number, eps: number, l2: number, decoupled: number, prefix: string) =>
    (s: Record<string, number[]>, t: number): void => {
      const lrT = typeof lr === 'number' ? lr : lr(t);
      const w0 = s['w']!;
      const g = grad(w0).map((gi, i) => gi + l2 * w0[i]!);
      const m = s[`${prefix}.m.w`]!.map((m0, i) => b1 * m0 + (1 - b1) * g[i]!);
      const v = s[`${prefix}.v.w`]!.map((v0, i) => b2 * v0 + (1 - b2) * g[i]! ** 2);
      s[`${prefix}.m.w`] = m;
      s[`${prefix}.v.w`] = v;
      s['w'] = w0.map((w, i) => {
        const mHat = m[i]! / (1 - b1 ** t);
        const vHat = v[i]! / (1 - b2 ** t);
        return w - lrT * decoupled * w - (lrT * mHat) / (Math.sqrt(vHat) + eps);
      });
    };

  it('adam (Kingma & Ba, bias-corrected)', async () => {
    await check(k.optim.adam({ lr: 0.1 }), { 'adam.m.w': zeros(), 'adam.v.w': zeros() }, adamRef(0.1, 0.9, 0.999, 1e-8, 0, 0, 'adam'));
  });

  it('adam with a large ε and L2 weight decay added to the gradient', async () => {
    await check(
      k.optim.adam({ lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 0.1, weightDecay: 0.2 }),
      { 'adam.m.w': zeros(), 'adam.v.w': zeros() },
      adamRef(0.05, 0.8, 0.99, 0.1, 0.2, 0, 'adam'),
    );
  });

  it('adamw: decoupled weight decay w -= lr λ w alongside the Adam step', async () => {
    await check(k.optim.adamw({ lr: 0.05, weightDecay: 0.3, eps: 0.01, name: 'opt' }), { 'opt.m.w': zeros(), 'opt.v.w': zeros() }, adamRef(0.05, 0.9, 0.999, 0.01, 0, 0.3, 'opt'));
  });
  it('adamw under a step-decay schedule: lr and the decoupled decay both follow lr_t', async () => {
    await check(
      k.optim.adamw({ lr: k.optim.stepDecay(0.1, { every: 2, gamma: 0.5 }), weightDecay: 0.3 }),
      { 'adamw.m.w': zeros(), 'adamw.v.w': zeros() },
      adamRef((t) => 0.1 * 0.5 ** Math.floor((t - 1) / 2), 0.9, 0.999, 1e-8, 0, 0.3, 'adamw'),
    );
  });
});

describe('minimize', () => {
  it('updates only the selected parameters; slots are named after them', async () => {
    const traced = k.trace(
      ({ x }) => {
        const a = k.param('a', [2], k.init.values([1, 1]));
        const b = k.param('b', [2], k.init.values([2, 2]));
        const loss = x.mul(a).mul(b).sum();
        return { loss, updates: k.optim.adam({ lr: 0.5 }).minimize(loss, { params: (n) => n === 'b' }) };
      },
      { x: k.f32([2]) },
    );
    expect(traced.updates).toEqual(['b', 'adam.step', 'adam.m.b', 'adam.v.b']);
    const step = await k.compile(traced);
    await step.run({ x: [1, -1] });
    expect(Array.from(await step.getParam('a'))).toEqual([1, 1]);
    // First Adam step moves each coordinate by ≈ lr against the gradient's sign (x·a = [1, -1]).
    expectClose(Array.from(await step.getParam('b')), [1.5, 2.5], 'b', 1e-6);
  });

  it('two optimizers in one trace need distinct names; losses must be scalars', () => {
    expect(() =>
      k.trace(() => {
        const w = k.param('w', [2], k.init.ones());
        const loss = w.sum();
        return { loss, updates: { ...k.optim.sgd().minimize(loss), ...k.optim.sgd().minimize(loss) } };
      }, {}),
    ).toThrowError(/sgd\.step already exists.*own \{ name \}/);
    expect(() =>
      k.trace(() => {
        const w = k.param('w', [2], k.init.ones());
        return { updates: k.optim.sgd().minimize(w.mul(2)) };
      }, {}),
    ).toThrowError(/needs a scalar loss, but the loss is f32\[2\]/);
  });
});
