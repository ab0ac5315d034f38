// Gradient checks of models traced with the frontend's own layers and composites (conv, pooling,
// layer norm, attention, GELU, softmax cross-entropy): every op they emit must differentiate.

import { describe, expect, it } from 'vitest';
import { verify } from '@kiln/ir';
import * as k from '../../src/index.js';
import { gradcheck, gradGraph } from '../../src/autodiff/index.js';
import { randoms } from './helpers.js';

function paramValues(t: k.Traced, seed: number): Record<string, number[]> {
  // Glorot-initialised weights plus a random perturbation, so zero-initialised biases and unit gains also move.
  return Object.fromEntries(t.params.map((p, i) => [p.name, Array.from(k.initialize(p, seed)).map((v, j) => v + 0.1 * randoms(j + 1, seed + i)[j]!)]));
}

function checkTraced(t: k.Traced, inputs: Record<string, number[]>): void {
  const wrt = t.params.filter((p) => p.trainable).map((p) => p.name);
  expect(verify(gradGraph(t.graph, { of: 'loss', wrt }))).toEqual([]);
  const r = gradcheck(t.graph, { of: 'loss', wrt, inputs: { ...inputs, ...paramValues(t, 3) } });
  for (const name of wrt) {
    expect(Math.max(...r.inputs[name]!.numeric.map(Math.abs)), `${name} moves the loss`).toBeGreaterThan(1e-6);
    expect(r.inputs[name]!.maxRelError, name).toBeLessThan(1e-6);
  }
}

describe('gradcheck of frontend-traced models (f64, rel. error < 1e-6)', () => {
  it('a small convnet: conv (same padding, stride 2, groups) → GELU → max/avg pooling → linear → cross-entropy', () => {
    const t = k.trace(
      ({ x, y }) => {
        let h = k.nn.conv2d(x, 2, 4, 3, { stride: 2, padding: 'same' });
        h = k.nn.conv2d(h.gelu(), 4, 4, 2, { groups: 2, padding: 'same' });
        h = k.avgPool2d(k.maxPool2d(h, 2, { stride: 1 }), 2, { stride: 1, padding: 'same' });
        const logits = k.nn.linear(h.reshape([2, 2 * 2 * 4]), 16, 3);
        return { loss: k.losses.softmaxCrossEntropy(logits, y).mean() };
      },
      { x: k.f32([2, 5, 5, 2]), y: k.i32([2]) },
    );
    checkTraced(t, { x: randoms(100, 1), y: [2, 0] });
  });

  it('a transformer block: layer norm → causal attention → residual → MLP', () => {
    const [n, T, d] = [2, 3, 4];
    const t = k.trace(
      ({ x }) => {
        const h = k.nn.layerNorm(x);
        const q = k.nn.linear(h, d, d);
        // No key bias: softmax is invariant to it (its gradient is exactly zero).
        const kk = k.nn.linear(h, d, d, { bias: false });
        const v = k.nn.linear(h, d, d);
        const a = x.add(k.nn.scaledDotProductAttention(q, kk, v, { causal: true }));
        const out = a.add(k.nn.linear(k.nn.linear(k.nn.layerNorm(a), d, 8).gelu(), 8, d));
        return { loss: out.mul(out).mean() };
      },
      { x: k.f32([n, T, d]) },
    );
    checkTraced(t, { x: randoms(n * T * d, 2) });
  });

  it('KL losses: klDivergence between softmaxes and the Gaussian KL of a VAE', () => {
    const t = k.trace(
      ({ x }) => {
        const a = k.param('a', [2, 3], k.init.normal(1));
        const mu = k.param('mu', [2, 2], k.init.normal(1));
        const logVar = k.param('logVar', [2, 2], k.init.normal(0.5));
        const kl = k.losses.klDivergence(a.softmax(), x.softmax(), { reduction: 'mean' });
        return { loss: kl.add(k.losses.gaussianKl(mu, logVar, { reduction: 'mean' })) };
      },
      { x: k.f32([2, 3]) },
    );
    checkTraced(t, { x: randoms(6, 4) });
  });
});
