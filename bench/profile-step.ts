// `pnpm exec tsx bench/profile-step.ts [W4|W5|W1] [--tune quick|cached|off]`: the kernels one Kiln
// workload runs (quick size), each with its template, grid and median time alone
// (WebGpuExecutable.profileKernels), slowest first, and the whole run's batched time.

import * as k from '@kiln/frontend';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createWebGpuBackend, requestWebGpuDevice, type HostInput, type TuneMode } from '@kiln/runtime';
import { summarize } from './harness.js';
import { profileSteps } from './kiln-profile.js';
import { MLP_CLASSES, MLP_IN, fillRandom } from './workloads.js';

const TUNE_MODES: readonly TuneMode[] = ['off', 'cached', 'quick', 'full'];

function traced(id: string): { t: k.Traced; inputs: Record<string, HostInput> } {
  switch (id) {
    case 'W1':
      return {
        t: k.trace(({ a, b }) => ({ c: k.matmul(a, b) }), { a: k.f32([256, 256]), b: k.f32([256, 256]) }, { name: 'w1' }),
        inputs: { a: fillRandom(256 * 256, 1), b: fillRandom(256 * 256, 2) },
      };
    case 'W5':
      return {
        t: k.trace(({ x, w }) => ({ y: k.conv2d(x, w, { padding: 'same' }) }), { x: k.f32([4, 16, 16, 32]), w: k.f32([3, 3, 32, 32]) }, { name: 'w5' }),
        inputs: { x: fillRandom(4 * 16 * 16 * 32, 1), w: fillRandom(9 * 32 * 32, 2) },
      };
    case 'W4': {
      const t = k.trace(
        ({ x, y }) => {
          const h1 = k.relu(k.nn.linear(x, MLP_IN, 256));
          const h2 = k.relu(k.nn.linear(h1, 256, 256));
          const logits = k.nn.linear(h2, 256, MLP_CLASSES);
          const loss = k.losses.softmaxCrossEntropy(logits, y, { reduction: 'mean' });
          return { loss, updates: k.optim.sgd({ lr: 0.01 }).minimize(loss) };
        },
        { x: k.f32([64, MLP_IN]), y: k.i32([64]) },
        { name: 'w4' },
      );
      return { t, inputs: { x: fillRandom(64 * MLP_IN, 1), y: Int32Array.from({ length: 64 }, (_, i) => i % MLP_CLASSES) } };
    }
    default:
      throw new Error(`unknown workload ${id}`);
  }
}

async function main(): Promise<void> {
  const id = process.argv.find((a) => /^W\d$/.test(a)) ?? 'W4';
  const ti = process.argv.indexOf('--tune');
  const asked = ti >= 0 ? process.argv[ti + 1] : 'off';
  const tune = TUNE_MODES.find((m) => m === asked);
  if (tune === undefined) throw new Error(`--tune wants one of ${TUNE_MODES.join(', ')}, got '${asked}'`);
  const info = await requestWebGpuDevice();
  const { t, inputs } = traced(id);
  const graph = runPipeline(t.graph, DEFAULT_PIPELINE).graph;
  const state: Record<string, HostInput> = {};
  for (const p of t.params) state[p.name] = k.initialize(p, 0);
  const exe = await createWebGpuBackend({ device: info }).compile(graph, { state, tune });
  await exe.run(inputs);
  const times = await profileSteps(exe, 5);
  const total = times.reduce((s, x) => s + x.ms, 0);
  for (const x of times)
    console.log(`${x.ms.toFixed(3).padStart(8)} ms  ${((100 * x.ms) / total).toFixed(0).padStart(3)}%  ${x.kernel.padEnd(28)} ${x.template} grid ${x.grid.join('x')}`);
  const samples: number[] = [];
  await exe.runRepeated(2);
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    await exe.runRepeated(3);
    samples.push((performance.now() - t0) / 3);
  }
  console.log(`${times.length} kernels, sum alone ${total.toFixed(2)} ms; batched run median ${summarize(samples).median.toFixed(3)} ms`);
  exe.dispose();
}

await main();
process.exit(0);
