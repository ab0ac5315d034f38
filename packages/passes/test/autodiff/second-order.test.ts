// Grad of grad: every primitive's backward graph is itself differentiated (its VJP rules are IR
// primitives) and gradient-checked; plus hand-computed second derivatives and Hessian-vector products.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, interpret, type Graph, type ValueId } from '@kiln/ir';
import { appendGradients, copyGraphInto, gradcheck, gradGraph } from '../../src/autodiff/index.js';
import { gradCases } from './cases.js';
import { f32, inputValues, randoms, weightedSum, type GradCase } from './helpers.js';

/** loss1 = Σ w1 ⊙ tanh(op(...)); loss2 = Σ_x Σ w2 ⊙ d loss1/dx, so loss2 needs the VJP rules differentiated. */
function secondOrderGraph(c: GradCase): Graph {
  const b1 = new GraphBuilder('first');
  const ids: Record<string, ValueId> = {};
  for (const [name, spec] of Object.entries(c.inputs)) ids[name] = b1.input(name, spec.type);
  const y = c.body(b1, ids);
  b1.output(weightedSum(b1, b1.add('tanh', [y], {}), 3), 'loss1');
  const g1 = gradGraph(b1.build(), { of: 'loss1', wrt: c.wrt });
  const b2 = new GraphBuilder('second');
  const map = copyGraphInto(b2, g1, { outputs: false });
  const grads = g1.outputs.filter((o) => o.name.startsWith('grad_')).map((o, i) => weightedSum(b2, map.get(o.value)!, 10 + i));
  b2.output(
    grads.reduce((acc, v) => b2.add('add', [acc, v], {})),
    'loss2',
  );
  return b2.build();
}

describe('grad of grad: gradcheck of every primitive’s backward graph (f64, rel. error < 1e-6)', () => {
  for (const c of gradCases) {
    it(c.name, () => {
      const r = gradcheck(secondOrderGraph(c), { of: 'loss2', wrt: c.wrt, inputs: inputValues(c) });
      for (const name of c.wrt) expect(r.inputs[name]!.maxRelError, name).toBeLessThan(1e-6);
    });
  }
});

describe('second derivatives by hand', () => {
  it('f = Σ sin(x)·x³: the Hessian is diagonal with f″ = 6x sin x + 6x² cos x − x³ sin x', () => {
    const b = new GraphBuilder('f');
    const x = b.input('x', f32(5));
    const v = b.input('v', f32(5));
    const x3 = b.add('mul', [x, b.add('mul', [x, x], {})], {});
    const f = b.add('reduce_sum', [b.add('mul', [b.add('sin', [x], {}), x3], {})], { axes: [0] });
    const one = b.add('constant', [], { value: 1 }, { type: f32() });
    const [grad] = appendGradients(b, [f], [one], [x]);
    const [hv] = appendGradients(b, [grad!], [v], [x]);
    b.output(grad!, 'grad');
    b.output(hv!, 'hv');
    const xs = randoms(5, 4, -2, 2);
    const vs = randoms(5, 5);
    const out = interpret(b.build(), { x: xs, v: vs }, { precision: 'f64' });
    xs.forEach((xi, i) => {
      const d1 = Math.cos(xi) * xi ** 3 + 3 * xi ** 2 * Math.sin(xi);
      const d2 = 6 * xi * Math.sin(xi) + 6 * xi ** 2 * Math.cos(xi) - xi ** 3 * Math.sin(xi);
      expect(out['grad']!.data[i]).toBeCloseTo(d1, 12);
      expect(out['hv']!.data[i]).toBeCloseTo(d2 * vs[i]!, 12);
    });
  });

  it('hvp of 0.5·xᵀAx equals A·v (A symmetric) to 1e-9', () => {
    const n = 6;
    const raw = randoms(n * n, 9);
    const a = raw.map((_, k) => {
      const i = Math.floor(k / n);
      const j = k % n;
      return raw[i * n + j]! + raw[j * n + i]!;
    });
    const b = new GraphBuilder('quad');
    const A = b.input('A', f32(n, n));
    const x = b.input('x', f32(n));
    const v = b.input('v', f32(n));
    const ax = b.add('reshape', [b.add('matmul', [A, b.add('reshape', [x], { shape: [n, 1] })], {})], { shape: [n] });
    const xax = b.add('reduce_sum', [b.add('mul', [x, ax], {})], { axes: [0] });
    const f = b.add('mul', [xax, b.add('constant', [], { value: 0.5 }, { type: f32() })], {});
    const one = b.add('constant', [], { value: 1 }, { type: f32() });
    const [grad] = appendGradients(b, [f], [one], [x]);
    const [hv] = appendGradients(b, [grad!], [v], [x]);
    b.output(hv!, 'hv');
    const xs = randoms(n, 10);
    const vs = randoms(n, 11);
    const out = interpret(b.build(), { A: a, x: xs, v: vs }, { precision: 'f64' });
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j]! * vs[j]!;
      expect(Math.abs(out['hv']!.data[i]! - av)).toBeLessThan(1e-9);
    }
  });
});
