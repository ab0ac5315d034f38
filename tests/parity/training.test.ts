// End to end through the real pipeline: a traced MLP training step (Adam, softmax cross-entropy)
// and a small CNN step, optimised and fused by @kiln/passes, run on WebGPU for several steps
// against the CPU interpreter on the same graph; each step issues one dispatch per fused kernel.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createCpuBackend, type HostInput } from '@kiln/runtime';
import type { Graph } from '@kiln/ir';
import { acquireDevice, harness, mismatch, randoms, type Tolerance } from './helpers.js';

const device = await acquireDevice();
const TOL: Tolerance = { rtol: 1e-4, atol: 1e-5 };

function mlpStep(): k.Traced {
  return k.trace(
    ({ x, y }) => {
      const h = k.nn.linear(x, 12, 16).relu();
      const logits = k.nn.linear(h, 16, 5);
      const loss = k.losses.softmaxCrossEntropy(logits, y, { reduction: 'mean' });
      return { loss, updates: k.optim.adam({ lr: 1e-2 }).minimize(loss) };
    },
    { x: k.f32([24, 12]), y: k.i32([24]) },
    { name: 'mlp_step' },
  );
}

function cnnStep(): k.Traced {
  return k.trace(
    ({ x, y }) => {
      const c = k.nn.conv2d(x, 2, 4, 3, { padding: 'same' }).relu();
      const p = k.maxPool2d(c, 2);
      const logits = k.nn.linear(k.reshape(p, [4, 3 * 3 * 4]), 36, 3);
      const loss = k.losses.softmaxCrossEntropy(logits, y, { reduction: 'mean' });
      return { loss, updates: k.optim.sgd({ lr: 0.1 }).minimize(loss) };
    },
    { x: k.f32([4, 6, 6, 2]), y: k.i32([4]) },
    { name: 'cnn_step' },
  );
}

async function compareTraining(traced: k.Traced, fused: Graph, batches: readonly Record<string, HostInput>[], peakBytes: number): Promise<void> {
  const state: Record<string, HostInput> = {};
  for (const p of traced.params) state[p.name] = k.initialize(p, 0);
  const gpu = await harness(device!).backend.compile(fused, { state });
  // Transients live in one arena no larger than the plan's peak; in-place updates need no copies.
  expect(gpu.memoryBytes.arena).toBeGreaterThan(0);
  expect(gpu.memoryBytes.arena).toBeLessThanOrEqual(peakBytes);
  expect(fused.nodes.filter((n) => n.annotations?.['inplace'] === 1).length).toBeGreaterThan(0);
  const cpu = await createCpuBackend().compile(fused, { state });
  const calls = fused.nodes.filter((n) => n.op === 'call').length;
  expect(fused.nodes.length).toBe(calls);
  expect(gpu.dispatchesPerRun).toBe(calls);
  for (const batch of batches) {
    const a = await gpu.run(batch);
    const b = await cpu.run(batch);
    expect(gpu.lastRunDispatches).toBe(calls);
    for (const name of Object.keys(b)) expect(mismatch(a[name]!, b[name]!, TOL), name).toBeUndefined();
  }
  for (const name of gpu.stateNames) expect(mismatch(await gpu.getState(name), await cpu.getState(name), TOL), name).toBeUndefined();
  gpu.dispose();
  cpu.dispose();
}

function peakOf(stats: readonly { readonly pass: string; readonly stats: Readonly<Record<string, number>> }[]): number {
  const peak = stats.find((s) => s.pass === 'plan-memory')?.stats['peakBytes'];
  if (peak === undefined) throw new Error('no plan-memory statistics');
  return peak;
}

describe.skipIf(device === undefined)('training steps through the pass pipeline', () => {
  it('MLP + Adam: losses and parameters match the CPU over 4 steps', async () => {
    const traced = mlpStep();
    const { graph: fused, stats } = runPipeline(traced.graph, DEFAULT_PIPELINE);
    const batches = [0, 1, 2, 3].map((s) => ({ x: randoms(24 * 12, 100 + s), y: randoms(24, 200 + s, 0, 5).map(Math.floor) }));
    await compareTraining(traced, fused, batches, peakOf(stats));
  });

  it('small CNN + SGD: losses and parameters match the CPU over 3 steps', async () => {
    const traced = cnnStep();
    const { graph: fused, stats } = runPipeline(traced.graph, DEFAULT_PIPELINE);
    const batches = [0, 1, 2].map((s) => ({ x: randoms(4 * 6 * 6 * 2, 300 + s), y: randoms(4, 400 + s, 0, 3).map(Math.floor) }));
    await compareTraining(traced, fused, batches, peakOf(stats));
  });
});
