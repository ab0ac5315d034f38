// End to end, sequence models on Moby-Dick (tiny configurations): the next-character loss must
// fall from about ln(vocabulary) by the stated factor, and sampling must produce text.

import { describe, expect, it } from 'vitest';
import { train as charLstm } from '../../examples/char-lstm.js';
import { train as transformerLm } from '../../examples/transformer-lm.js';
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
});
