// The accuracy targets of the training issue, on the full MNIST test set (10,000 images), trained
// on WebGPU (llvmpipe in CI): the MLP ≥ 97.5% and the LeNet-style CNN ≥ 98.5%. These are the
// slowest tests of the suite (minutes), so each runs alone in its file's worker.

import { describe, expect, it } from 'vitest';
import { train as mlp } from '../../examples/mlp-mnist.js';
import { train as cnn } from '../../examples/cnn-mnist.js';
import { E2E_BACKEND, expectLossFalls, numericMetric } from './helpers.js';

const MINUTE = 60_000;

describe('e2e: MNIST accuracy targets', () => {
  it(
    'MLP 784-256-10 (Adam, cosine lr, 2500 steps of 128): test accuracy ≥ 97.5%',
    async () => {
      const r = await mlp({ steps: 2500, seed: 0, backend: E2E_BACKEND });
      expectLossFalls(r, 2500, 0.2);
      const acc = numericMetric(r, 'test accuracy (10000');
      console.log(`MLP test accuracy: ${(100 * acc).toFixed(2)}%`);
      expect(acc).toBeGreaterThanOrEqual(0.975);
    },
    15 * MINUTE,
  );

  it(
    'LeNet-5 CNN with batch norm (Adam, cosine lr, 3000 steps of 32): test accuracy ≥ 98.5%',
    async () => {
      const r = await cnn({ steps: 3000, seed: 0, backend: E2E_BACKEND });
      expectLossFalls(r, 3000, 0.2);
      const acc = numericMetric(r, 'test accuracy (10000');
      console.log(`CNN test accuracy: ${(100 * acc).toFixed(2)}%`);
      expect(acc).toBeGreaterThanOrEqual(0.985);
    },
    30 * MINUTE,
  );
});
