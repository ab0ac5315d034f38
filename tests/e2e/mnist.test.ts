// End to end, MNIST models (small batches and few steps): the loss must fall by the stated
// factor; the MLP's loss curve on WebGPU and on the CPU interpreter must agree to 1e-4.

import { describe, expect, it } from 'vitest';
import { train as mlp } from '../../examples/mlp-mnist.js';
import { train as cnn } from '../../examples/cnn-mnist.js';
import { train as autoencoder } from '../../examples/autoencoder.js';
import { train as vae } from '../../examples/vae.js';
import { E2E_BACKEND, expectPlanNearLowerBound, planChecked, expectLossFalls, numericMetric } from './helpers.js';

describe('e2e: MNIST', () => {
  it('mlp: cross-entropy falls below 0.5× and test accuracy > 70% after 60 steps', async () => {
    const plan = planChecked();
    const r = await mlp({ steps: 60, seed: 0, backend: E2E_BACKEND, batch: 32, hidden: 64, testLimit: 1000, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 60, 0.5);
    expect(numericMetric(r, 'test accuracy')).toBeGreaterThan(0.7);
  });

  it('mlp: 50 training steps on WebGPU match the CPU interpreter to 1e-4 relative, step by step', async () => {
    const opts = { steps: 50, seed: 0, batch: 32, hidden: 64, testLimit: 500 } as const;
    const gpu = await mlp({ ...opts, backend: 'webgpu' });
    const cpu = await mlp({ ...opts, backend: 'cpu' });
    expect(gpu.losses.length).toBe(50);
    gpu.losses.forEach((l, i) => expect(Math.abs(l - cpu.losses[i]!) / Math.abs(cpu.losses[i]!), `step ${i + 1}: ${l} vs ${cpu.losses[i]}`).toBeLessThan(1e-4));
    // The two backends really differ in rounding (different summation orders), yet stay this close.
    expect(gpu.losses.some((l, i) => l !== cpu.losses[i])).toBe(true);
  });

  it('cnn (LeNet with batch norm): cross-entropy falls below 0.6× in 30 steps', async () => {
    const plan = planChecked();
    const r = await cnn({ steps: 30, seed: 0, backend: E2E_BACKEND, batch: 16, testLimit: 250, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 30, 0.6);
    expect(numericMetric(r, 'test accuracy')).toBeGreaterThan(0.3);
  });

  it('autoencoder: reconstruction BCE falls below 0.5×', async () => {
    const plan = planChecked();
    const r = await autoencoder({ steps: 40, seed: 0, backend: E2E_BACKEND, batch: 16, testLimit: 200, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 40, 0.5);
    expect(numericMetric(r, 'test reconstruction')).toBeLessThan(0.35);
  });

  it('vae: negative ELBO falls below 0.6×; the KL term is positive', async () => {
    const plan = planChecked();
    const r = await vae({ steps: 40, seed: 0, backend: E2E_BACKEND, batch: 16, testLimit: 200, onFirstStep: plan.onFirstStep });
    expectPlanNearLowerBound(plan.plan());
    expectLossFalls(r, 40, 0.6);
    expect(numericMetric(r, 'test KL')).toBeGreaterThan(0);
  });
});
