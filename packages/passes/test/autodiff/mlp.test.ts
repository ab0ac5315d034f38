// A 2-layer MLP with softmax cross-entropy: its backward graph verifies, uses only registry ops
// (no kernel calls), skips the data input, and its gradients pass the f64 gradient check.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, isOpKind, verify, type Graph } from '@kiln/ir';
import { gradcheck, gradGraph } from '../../src/autodiff/index.js';
import { f32, randoms } from './helpers.js';

function mlp(): Graph {
  const [n, d, h, c] = [4, 5, 6, 3];
  const b = new GraphBuilder('mlp');
  const x = b.input('x', f32(n, d));
  const y = b.input('y', f32(n, c));
  const w1 = b.input('w1', f32(d, h), { state: true });
  const b1 = b.input('b1', f32(h), { state: true });
  const w2 = b.input('w2', f32(h, c), { state: true });
  const b2 = b.input('b2', f32(c), { state: true });
  const pre = b.add('add', [b.add('matmul', [x, w1], {}), b.add('broadcast', [b1], { dims: [1], shape: [n, h] })], {});
  const hid = b.add('max', [pre, b.add('constant', [], { value: 0 }, { type: f32(n, h) })], {});
  const logits = b.add('add', [b.add('matmul', [hid, w2], {}), b.add('broadcast', [b2], { dims: [1], shape: [n, c] })], {});
  const m = b.add('broadcast', [b.add('reduce_max', [logits], { axes: [1] })], { dims: [0], shape: [n, c] });
  const shifted = b.add('sub', [logits, m], {});
  const lse = b.add('log', [b.add('reduce_sum', [b.add('exp', [shifted], {})], { axes: [1] })], {});
  const logp = b.add('sub', [shifted, b.add('broadcast', [lse], { dims: [0], shape: [n, c] })], {});
  const total = b.add('reduce_sum', [b.add('mul', [y, logp], {})], { axes: [0, 1] });
  b.output(b.add('mul', [total, b.add('constant', [], { value: -1 / n }, { type: f32() })], {}), 'loss');
  return b.build();
}

describe('2-layer MLP backward graph', () => {
  const wrt = ['w1', 'b1', 'w2', 'b2'];

  it('verifies, contains only registry ops, and never differentiates the data input', () => {
    const fwd = mlp();
    const g = gradGraph(fwd, { of: 'loss', wrt });
    expect(verify(g)).toEqual([]);
    expect(g.nodes.every((n) => isOpKind(n.op) && n.op !== 'call')).toBe(true);
    expect(g.outputs.map((o) => o.name)).toEqual(['loss', 'grad_w1', 'grad_b1', 'grad_w2', 'grad_b2']);
    // d/dx would need matmul(ct, transpose(w1)): w1 is only ever the rhs of the forward matmul.
    const x = fwd.inputs.find((i) => i.name === 'x')!.id;
    const w1 = fwd.inputs.find((i) => i.name === 'w1')!.id;
    const backward = g.nodes.slice(fwd.nodes.length);
    const transposesOfW1 = backward.filter((n) => n.op === 'transpose' && n.operands[0] === w1);
    expect(transposesOfW1).toEqual([]);
    expect(backward.some((n) => n.op === 'transpose' && n.operands[0] === x)).toBe(true);
  });

  it('passes the gradient check (f64, rel. error < 1e-6)', () => {
    const labels = [0, 2, 1, 2];
    const y = labels.flatMap((l) => [0, 1, 2].map((k) => (k === l ? 1 : 0)));
    const r = gradcheck(mlp(), {
      of: 'loss',
      wrt,
      inputs: { x: randoms(20, 1), y, w1: randoms(30, 2), b1: randoms(6, 3, -0.1, 0.1), w2: randoms(18, 4), b2: randoms(3, 5) },
    });
    for (const name of wrt) expect(r.inputs[name]!.maxRelError, name).toBeLessThan(1e-6);
  });
});
