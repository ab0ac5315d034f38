// End to end, small models: each example's train() runs a few compiled training steps on the CPU
// interpreter with seed 0; its loss must fall by the stated factor and its metric make sense.

import { describe, expect, it } from 'vitest';
import { train as linearRegression } from '../../examples/linear-regression.js';
import { train as logisticRegression } from '../../examples/logistic-regression.js';
import { train as softmaxRegression } from '../../examples/softmax-regression.js';
import { train as gcn } from '../../examples/gcn.js';
import { train as gan } from '../../examples/gan.js';
import { train as qLearning } from '../../examples/q-learning.js';
import { E2E_BACKEND, expectPlanNearLowerBound, planChecked, expectLossFalls, metric, numericMetric } from './helpers.js';

describe('e2e: small models', () => {
  it('linear regression: mse falls 20× and the true weights are recovered', async () => {
    const plan = planChecked();
    const r = await linearRegression({ steps: 60, seed: 0, backend: E2E_BACKEND, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 60, 0.05);
    expect(numericMetric(r, 'max |learned - true|')).toBeLessThan(0.05);
  });

  it('logistic regression: cross-entropy falls below 0.4× and accuracy > 85%', async () => {
    const plan = planChecked();
    const r = await logisticRegression({ steps: 60, seed: 0, backend: E2E_BACKEND, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 60, 0.4);
    expect(numericMetric(r, 'accuracy (all')).toBeGreaterThan(0.85);
  });

  it('softmax regression on iris: loss falls below 0.5× and test accuracy ≥ 90%', async () => {
    const plan = planChecked();
    const r = await softmaxRegression({ steps: 60, seed: 0, backend: E2E_BACKEND, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 60, 0.5);
    expect(numericMetric(r, 'test accuracy')).toBeGreaterThanOrEqual(0.9);
  });

  it('gcn: loss falls below 0.1× and unlabelled nodes are classified > 90%', async () => {
    const plan = planChecked();
    const r = await gcn({ steps: 60, seed: 0, backend: E2E_BACKEND, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 60, 0.1);
    expect(numericMetric(r, 'accuracy on unlabelled')).toBeGreaterThan(0.9);
  });

  it('gan: generated samples move to the data (mean distance of 1000 samples to the nearest mode falls below 0.75×)', async () => {
    // Adversarial losses do not fall (each player's loss is the other's gain); sample quality does,
    // but a GAN oscillates, so the bound is loose: on 2026-12-03, seeds 0–7 at 500 steps gave
    // after/before ratios 0.38–0.63 (seed 0: 0.55), measured on 1000 fresh samples each time.
    const plan = planChecked();
    const r = await gan({ steps: 500, seed: 0, backend: E2E_BACKEND, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expect(r.losses.length).toBe(500);
    expect(r.losses.every(Number.isFinite)).toBe(true);
    const before = numericMetric(r, 'before training: mean distance');
    const after = numericMetric(r, 'after training: mean distance');
    expect(after).toBeLessThan(0.75 * before);
  });

  it('q-learning: TD loss falls below 0.7× and the greedy policy reaches the goal', async () => {
    const plan = planChecked();
    const r = await qLearning({ steps: 1500, seed: 0, backend: E2E_BACKEND, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 1500, 0.7);
    expect(String(metric(r, 'greedy rollout'))).toMatch(/^goal in \d+ moves/);
  });
});
