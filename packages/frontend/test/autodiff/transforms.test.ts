// Function transforms inside a trace: TF-style gradients, grad / valueAndGrad (closures are
// constants), vjp with its pullback, hvp (grad of grad), nesting, and misuse errors.

import { describe, expect, it } from 'vitest';
import { KilnError, verify } from '@kiln/ir';
import { interpret } from '@kiln/runtime';
import { f32, trace, type Tensor, type TraceResult } from '../../src/index.js';
import { grad, gradients, hvp, valueAndGrad, vjp } from '../../src/transforms.js';
import { randoms } from './helpers.js';

type Specs = Readonly<Record<string, ReturnType<typeof f32>>>;

function run(fn: (x: Readonly<Record<string, Tensor>>) => TraceResult, specs: Specs, inputs: Record<string, number[]>): Record<string, number[]> {
  const t = trace(fn, specs);
  expect(verify(t.graph)).toEqual([]);
  const out = interpret(t.graph, inputs, { precision: 'f64' });
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v.data)]));
}

const xs = [0.3, -1.2, 0.8];
const ws = [1.5, 0.4, -0.7];

describe('gradients (TF style)', () => {
  it('d/dw Σ sin(x·w) = x·cos(x·w), with d/dx alongside', () => {
    const out = run(
      ({ x, w }) => {
        const loss = x!.mul(w!).sin().sum();
        const [gx, gw] = gradients(loss, [x!, w!]);
        return { loss, gx: gx!, gw: gw! };
      },
      { x: f32([3]), w: f32([3]) },
      { x: xs, w: ws },
    );
    xs.forEach((x, i) => {
      expect(out['gw']![i]).toBeCloseTo(x * Math.cos(x * ws[i]!), 14);
      expect(out['gx']![i]).toBeCloseTo(ws[i]! * Math.cos(x * ws[i]!), 14);
    });
  });

  it('differentiates through everything built so far, including values computed from x', () => {
    // loss = Σ x·c with c = x²: the total derivative is 3x².
    const out = run(
      ({ x }) => {
        const c = x!.mul(x!);
        const [g] = gradients(x!.mul(c).sum(), [x!]);
        return { g: g! };
      },
      { x: f32([3]) },
      { x: xs },
    );
    xs.forEach((x, i) => expect(out['g']![i]).toBeCloseTo(3 * x * x, 14));
  });

  it('takes explicit output cotangents for non-scalar outputs', () => {
    const out = run(
      ({ x, ct }) => {
        const [g] = gradients(x!.exp(), [x!], ct);
        return { g: g! };
      },
      { x: f32([3]), ct: f32([3]) },
      { x: xs, ct: ws },
    );
    xs.forEach((x, i) => expect(out['g']![i]).toBeCloseTo(ws[i]! * Math.exp(x), 14));
  });
});

describe('grad, valueAndGrad', () => {
  it('grad(f) treats tensors f closes over as constants (JAX semantics)', () => {
    const out = run(
      ({ x }) => {
        const c = x!.mul(x!);
        const g = grad((y) => y.mul(c).sum())(x!) as Tensor;
        return { g };
      },
      { x: f32([3]) },
      { x: xs },
    );
    xs.forEach((x, i) => expect(out['g']![i]).toBeCloseTo(x * x, 14));
  });

  it('valueAndGrad with several argnums returns the value and one gradient per argument', () => {
    const out = run(
      ({ x, w }) => {
        const [v, gs] = valueAndGrad((a, b) => a.mul(b).tanh().sum(), { argnums: [0, 1] })(x!, w!);
        const [ga, gb] = gs as Tensor[];
        return { v, ga: ga!, gb: gb! };
      },
      { x: f32([3]), w: f32([3]) },
      { x: xs, w: ws },
    );
    let value = 0;
    xs.forEach((x, i) => {
      const w = ws[i]!;
      value += Math.tanh(x * w);
      const d = 1 - Math.tanh(x * w) ** 2;
      expect(out['ga']![i]).toBeCloseTo(d * w, 14);
      expect(out['gb']![i]).toBeCloseTo(d * x, 14);
    });
    expect(out['v']![0]).toBeCloseTo(value, 14);
  });

  it('grad of grad: d²/dx² Σ sin x = −sin x', () => {
    const f = (x: Tensor): Tensor => x.sin().sum();
    const out = run(({ x }) => ({ h: grad((y) => (grad(f)(y) as Tensor).sum())(x!) as Tensor }), { x: f32([3]) }, { x: xs });
    xs.forEach((x, i) => expect(out['h']![i]).toBeCloseTo(-Math.sin(x), 14));
  });

  it('rejects a non-scalar result and use outside a trace', () => {
    expect(() => trace(({ x }) => grad((y) => y.exp())(x) as Tensor, { x: f32([3]) })).toThrow(/differentiates a scalar function, but f returned f32\[3\]/);
    expect(() => gradients([] as Tensor[], [])).toThrow(KilnError);
  });
});

describe('vjp and hvp', () => {
  it('vjp returns the output and a pullback usable more than once', () => {
    const out = run(
      ({ x, u, v }) => {
        const [y, pullback] = vjp((a: Tensor) => a.mul(a).exp())(x!);
        const [pu] = pullback(u!);
        const [pv] = pullback(v!);
        return { y, pu: pu!, pv: pv! };
      },
      { x: f32([3]), u: f32([3]), v: f32([3]) },
      { x: xs, u: ws, v: [1, 2, 3] },
    );
    xs.forEach((x, i) => {
      const d = 2 * x * Math.exp(x * x);
      expect(out['y']![i]).toBeCloseTo(Math.exp(x * x), 14);
      expect(out['pu']![i]).toBeCloseTo(ws[i]! * d, 12);
      expect(out['pv']![i]).toBeCloseTo((i + 1) * d, 12);
    });
  });

  it('hvp of 0.5·xᵀAx equals A·v to 1e-9 (A symmetric, f64)', () => {
    const n = 5;
    const raw = randoms(n * n, 21);
    const a = raw.map((_, k) => raw[Math.floor(k / n) * n + (k % n)]! + raw[(k % n) * n + Math.floor(k / n)]!);
    const v = randoms(n, 22);
    const out = run(
      ({ A, x, v: dir }) => {
        const f = (y: Tensor): Tensor =>
          y
            .mul(A!.matmul(y.reshape([n, 1])).reshape([n]))
            .sum()
            .mul(0.5);
        return { hv: hvp(f)(x!, dir!) as Tensor };
      },
      { A: f32([n, n]), x: f32([n]), v: f32([n]) },
      { A: a, x: randoms(n, 23), v },
    );
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j]! * v[j]!;
      expect(Math.abs(out['hv']![i]! - av)).toBeLessThan(1e-9);
    }
  });

  it('hvp with several arguments: f(x, y) = Σ x²·y', () => {
    const out = run(
      ({ x, y, vx, vy }) => {
        const [hx, hy] = hvp((a, b) => a.mul(a).mul(b).sum())([x!, y!], [vx!, vy!]) as Tensor[];
        return { hx: hx!, hy: hy! };
      },
      { x: f32([3]), y: f32([3]), vx: f32([3]), vy: f32([3]) },
      { x: xs, y: ws, vx: [1, 2, 3], vy: [-1, 0.5, 2] },
    );
    // H = [[2y, 2x], [2x, 0]] per element.
    xs.forEach((x, i) => {
      const [y, vx, vy] = [ws[i]!, i + 1, [-1, 0.5, 2][i]!];
      expect(out['hx']![i]).toBeCloseTo(2 * y * vx + 2 * x * vy, 13);
      expect(out['hy']![i]).toBeCloseTo(2 * x * vx, 13);
    });
  });
});
