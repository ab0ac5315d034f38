// End to end, sequence models on Moby-Dick (tiny configurations): the next-character loss must
// fall from about ln(vocabulary) by the stated factor, and sampling must produce text; the
// transformer's output projection must be its token embedding, trained through both uses.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { train as charLstm } from '../../examples/char-lstm.js';
import { TransformerLm, lmLoss, train as transformerLm } from '../../examples/transformer-lm.js';
import { E2E_BACKEND, expectPlanNearLowerBound, planChecked, expectLossFalls, metric, numericMetric } from './helpers.js';

describe('e2e: language models', () => {
  it('char-lstm: loss falls below 0.85× in 40 steps; held-out loss beats uniform guessing', async () => {
    const plan = planChecked();
    const r = await charLstm({ steps: 40, seed: 0, backend: E2E_BACKEND, batch: 8, seqLen: 16, hidden: 64, embed: 16, sample: 20, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 40, 0.85);
    expect(numericMetric(r, 'held-out loss')).toBeLessThan(0.8 * numericMetric(r, 'uniform-guess'));
    expect(JSON.parse(String(metric(r, 'sample')))).toHaveLength('Call me '.length + 20);
  });

  it('transformer-lm: loss falls below 0.8× in 40 steps; held-out loss beats uniform guessing', async () => {
    const plan = planChecked();
    const r = await transformerLm({ steps: 40, seed: 0, backend: E2E_BACKEND, batch: 8, seqLen: 16, dim: 32, heads: 2, layers: 1, sample: 20, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 40, 0.8);
    expect(numericMetric(r, 'held-out loss')).toBeLessThan(0.8 * numericMetric(r, 'uniform-guess'));
    expect(JSON.parse(String(metric(r, 'sample')))).toHaveLength('Call me Ishmael. '.length + 20);
  });

  it('transformer-lm: the output projection is the token embedding, and one step trains it through both uses', async () => {
    const [V, D, B, T] = [12, 16, 2, 8];
    k.manualSeed(0);
    const model = new TransformerLm({ vocab: V, dim: D, heads: 2, layers: 1 });
    const params = model.namedParameters();
    // One [V, D] table and no output-projection weight ([D, V], or a second [V, D]).
    expect(params.filter((p) => [`${V},${D}`, `${D},${V}`].includes(p.shape.join())).map((p) => p.name)).toEqual(['embed.weight']);
    expect(params.map((p) => p.name).filter((n) => !n.startsWith('blocks.'))).toEqual(['embed.weight', 'lnF.weight', 'lnF.bias', 'logitBias']);

    const lr = 0.1;
    const opt = k.optim.sgd({ lr });
    const grad = k.jit(
      ({ x, y }: k.Inputs<'x' | 'y'>) => {
        const [g] = k.gradients(lmLoss(model, x, y), [model.embed.weight]);
        if (g === undefined) throw new Error('no gradient');
        return { g };
      },
      { backend: E2E_BACKEND },
    );
    const step = k.jit(
      ({ x, y }: k.Inputs<'x' | 'y'>) => {
        const loss = lmLoss(model, x, y);
        return { loss, updates: opt.minimize(loss) };
      },
      { backend: E2E_BACKEND },
    );
    // The inputs use ids 0..5 only, so rows 6..11 of the table are never looked up.
    const x = k.tensor(
      Int32Array.from({ length: B * T }, (_, i) => i % 6),
      [B, T],
    );
    const y = k.tensor(
      Int32Array.from({ length: B * T }, (_, i) => (5 * i + 1) % V),
      [B, T],
    );
    const before = (await model.stateDict())['embed.weight']!.data;
    const { g } = await grad({ x, y });
    await step({ x, y });
    const after = (await model.stateDict())['embed.weight']!.data;

    // The step moved the table by -lr · ∂L/∂E, the gradient summed over both uses.
    after.forEach((v, i) => expect(Math.abs(v - (before[i]! - lr * g.data[i]!)), `element ${i}`).toBeLessThan(1e-5));
    const row = (v: number): number[] => Array.from({ length: D }, (_, d) => g.data[v * D + d]!);
    // Output use: rows that are never looked up still get a gradient (only logits = h · Eᵀ reads them).
    for (let v = 6; v < V; v++) expect(Math.hypot(...row(v)), `row ${v}`).toBeGreaterThan(1e-3);
    // Input use: for softmax cross-entropy Σ_v ∂L/∂logits_v = 0, so the output use's gradient
    // rows sum to zero over the vocabulary; a column sum that is not zero is the lookup's share.
    const colSums = Array.from({ length: D }, (_, d) => Array.from({ length: V }, (_, v) => g.data[v * D + d]!).reduce((a, b) => a + b, 0));
    expect(Math.max(...colSums.map(Math.abs))).toBeGreaterThan(1e-2);
    // Control: through the output projection alone (any features h), the column sums vanish.
    const outputOnly = k.jit(
      ({ h, y }: k.Inputs<'h' | 'y'>) => {
        const [gOut] = k.gradients(k.losses.softmaxCrossEntropy(h.matmul(model.embed.weight.mT), y, { reduction: 'mean' }), [model.embed.weight]);
        if (gOut === undefined) throw new Error('no gradient');
        return { g: gOut };
      },
      { backend: E2E_BACKEND },
    );
    const h = k.tensor(
      Float32Array.from({ length: B * T * D }, (_, i) => Math.sin(7 * i)),
      [B, T, D],
    );
    const control = (await outputOnly({ h, y })).g.data;
    const controlSums = Array.from({ length: D }, (_, d) => Array.from({ length: V }, (_, v) => control[v * D + d]!).reduce((a, b) => a + b, 0));
    expect(Math.max(...control.map(Math.abs))).toBeGreaterThan(1e-2);
    expect(Math.max(...controlSums.map(Math.abs))).toBeLessThan(1e-5);
    outputOnly.dispose();
    grad.dispose();
    step.dispose();
  });
});
