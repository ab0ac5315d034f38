// Gradient checks of composite models written directly in IR (softmax cross-entropy from logits,
// layer norm, an LSTM cell, scaled dot-product attention): symbolic backprop vs finite differences in f64.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Graph } from '@kiln/ir';
import { dotProductTest, gradcheck } from '@kiln/frontend';
import { Ir, f32, i32, randoms } from './ir.js';

function check(g: Graph, inputs: Record<string, number[]>, wrt: readonly string[]): void {
  const r = gradcheck(g, { of: 'loss', wrt, inputs });
  for (const name of wrt) {
    const c = r.inputs[name]!;
    expect(Math.max(...c.numeric.map(Math.abs)), `${name} moves the loss`).toBeGreaterThan(1e-4);
    expect(c.maxRelError, name).toBeLessThan(1e-6);
  }
}

describe('gradcheck of composites built in IR (f64, rel. error < 1e-6)', () => {
  it('softmax cross-entropy from logits with integer labels (one-hot via iota == label)', () => {
    const [n, c] = [4, 5];
    const b = new GraphBuilder('softmax_ce');
    const ir = new Ir(b);
    const logits = b.input('logits', f32(n, c));
    const labels = b.input('labels', i32(n));
    const classes = b.add('iota', [], { dim: 1 }, { type: i32(n, c) });
    const onehot = b.add('cast', [b.add('eq', [classes, b.add('broadcast', [labels], { dims: [0], shape: [n, c] })], {})], { dtype: 'f32' });
    const m = ir.rowReduce('reduce_max', logits);
    const lse = ir.add(ir.un('log', ir.rowReduce('reduce_sum', ir.un('exp', ir.sub(logits, m)))), m);
    const nll = ir.mul(onehot, ir.sub(lse, logits));
    b.output(ir.scale(ir.sumAll(nll), 1 / n), 'loss');
    check(b.build(), { logits: randoms(n * c, 1, -3, 3), labels: [0, 4, 2, 2] }, ['logits']);
  });

  it('layer_norm over the last axis with gain and bias', () => {
    const [n, d] = [3, 6];
    const b = new GraphBuilder('layer_norm');
    const ir = new Ir(b);
    const x = b.input('x', f32(n, d));
    const gamma = b.input('gamma', f32(d));
    const beta = b.input('beta', f32(d));
    const xc = ir.sub(x, ir.rowMean(x));
    const inv = ir.un('rsqrt', ir.add(ir.rowMean(ir.mul(xc, xc)), ir.const(1e-5, [n, d])));
    const y = ir.add(ir.mul(ir.mul(xc, inv), ir.to(gamma, [n, d])), ir.to(beta, [n, d]));
    b.output(ir.weighted(y, 2), 'loss');
    check(b.build(), { x: randoms(n * d, 3, -2, 2), gamma: randoms(d, 4, 0.5, 1.5), beta: randoms(d, 5) }, ['x', 'gamma', 'beta']);
  });

  it('an LSTM cell (gates from one fused matmul, sliced)', () => {
    const [n, inSize, h] = [2, 3, 4];
    const b = new GraphBuilder('lstm_cell');
    const ir = new Ir(b);
    const x = b.input('x', f32(n, inSize));
    const h0 = b.input('h0', f32(n, h));
    const c0 = b.input('c0', f32(n, h));
    const wx = b.input('wx', f32(inSize, 4 * h));
    const wh = b.input('wh', f32(h, 4 * h));
    const bias = b.input('bias', f32(4 * h));
    const z = ir.add(ir.add(ir.matmul(x, wx), ir.matmul(h0, wh)), ir.to(bias, [n, 4 * h]));
    const gate = (k: number): number => ir.slice(z, 1, k * h, (k + 1) * h);
    const [i, f, g, o] = [ir.un('logistic', gate(0)), ir.un('logistic', gate(1)), ir.un('tanh', gate(2)), ir.un('logistic', gate(3))];
    const c1 = ir.add(ir.mul(f, c0), ir.mul(i, g));
    const h1 = ir.mul(o, ir.un('tanh', c1));
    b.output(ir.add(ir.weighted(h1, 6), ir.weighted(c1, 7)), 'loss');
    check(
      b.build(),
      {
        x: randoms(n * inSize, 8),
        h0: randoms(n * h, 9),
        c0: randoms(n * h, 10),
        wx: randoms(inSize * 4 * h, 11),
        wh: randoms(h * 4 * h, 12),
        bias: randoms(4 * h, 13),
      },
      ['x', 'h0', 'c0', 'wx', 'wh', 'bias'],
    );
  });

  it('scaled dot-product attention with a causal mask', () => {
    const [n, t, d] = [2, 4, 3];
    const b = new GraphBuilder('attention');
    const ir = new Ir(b);
    const q = b.input('q', f32(n, t, d));
    const k = b.input('k', f32(n, t, d));
    const v = b.input('v', f32(n, t, d));
    const kt = b.add('transpose', [k], { perm: [0, 2, 1] });
    const scores = ir.scale(ir.matmul(q, kt), 1 / Math.sqrt(d));
    const row = b.add('iota', [], { dim: 1 }, { type: i32(n, t, t) });
    const col = b.add('iota', [], { dim: 2 }, { type: i32(n, t, t) });
    const masked = b.add('select', [b.add('le', [col, row], {}), scores, ir.const(-1e9, [n, t, t])], {});
    const out = ir.matmul(ir.softmax(masked), v);
    b.output(out, 'out');
    b.output(ir.weighted(out, 14), 'loss');
    const g = b.build();
    const inputs = { q: randoms(n * t * d, 15), k: randoms(n * t * d, 16), v: randoms(n * t * d, 17) };
    check(g, inputs, ['q', 'k', 'v']);
    const adj = dotProductTest(g, { of: ['out'], wrt: ['q', 'k', 'v'], inputs, seed: 3 });
    expect(adj.relError).toBeLessThan(1e-7);
  });
});
