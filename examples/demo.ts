// `pnpm demo`: trains the MNIST MLP (784-256-10, ReLU, Adam with cosine decay) on the best
// available backend for a bounded number of steps, dumps the IR at each stage to out/demo/
// (traced forward graph, its gradient graph, the full training step, the step after the pass
// pipeline), writes the loss curve to out/demo/loss.svg and prints the accuracy on all 10,000
// test images. Options: --steps N (default 2500), --seed S, --backend auto|cpu|webgpu, --out DIR.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as k from '@kiln/frontend';
import { print } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { compileWith, cycleBatches, parseBackend, lossSummary, scalar } from './common.js';
import { loadMnist } from './lib/datasets.js';
import { writePlot } from './lib/plot.js';
import { createProgress } from './lib/progress.js';
import { accuracy, mlp, trainGraph } from './mlp-mnist.js';

const BATCH = 128;
const HIDDEN = 256;

const { values } = parseArgs({ options: { steps: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' } } });
const steps = Number(values.steps ?? 2500);
const seed = Number(values.seed ?? 0);
const backend = parseBackend(values.backend);
const outDir = values.out ?? 'out/demo';
if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got ${values.steps}`);
await mkdir(outDir, { recursive: true });
const dump = async (name: string, text: string): Promise<void> => {
  await writeFile(join(outDir, name), text);
  console.log(`  wrote ${join(outDir, name)} (${text.split('\n').length} lines)`);
};

console.log(`Kiln demo: MNIST MLP 784-${HIDDEN}-10, batch ${BATCH}, ${steps} Adam steps (cosine-decayed lr)`);
const forward = k.trace(({ x, y }) => ({ loss: k.losses.softmaxCrossEntropy(mlp(x, HIDDEN), y, { reduction: 'mean' }) }), { x: k.f32([BATCH, 784]), y: k.i32([BATCH]) }, { name: 'mlp' });
const trainStep = trainGraph(BATCH, HIDDEN, 2e-3, steps);

await dump('1-forward.kir', forward.print({ locations: true }));
await dump('2-gradient.kir', print(k.gradGraph(forward.graph, { of: 'loss', wrt: forward.params.map((p) => p.name) })));
await dump('3-train-step.kir', trainStep.print({ locations: true }));
try {
  const optimized = runPipeline(trainStep.graph, DEFAULT_PIPELINE, { verify: true });
  await dump('4-train-step.optimized.kir', print(optimized.graph));
  console.log(`  pipeline ${DEFAULT_PIPELINE}: ${optimized.passes.map((p) => `${p.pass} ${p.ms.toFixed(0)}ms`).join(', ')}`);
} catch (e) {
  console.log(`  (pass pipeline failed, IR after passes not written: ${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
}

const step = await compileWith(trainStep, { steps, seed, backend });
console.log(`backend: ${step.backend} (${step.backendReason})`);
const train = loadMnist({ split: 'train' });
const batches = cycleBatches({ n: train.n, x: train.images, y: train.labels }, BATCH, seed);
const progress = createProgress({ total: steps, label: 'demo' });
const losses: number[] = [];
const t0 = performance.now();
for (let s = 1; s <= steps; s++) {
  const b = batches.next().value;
  losses.push(scalar(await step.run({ x: b.columns.x, y: b.columns.y }), 'loss'));
  progress.update(s, losses[s - 1]);
}
progress.stop();
const trainSeconds = (performance.now() - t0) / 1000;

const evalBatch = 500;
const classify = k.trace(({ x }) => ({ logits: mlp(x, HIDDEN) }), { x: k.f32([evalBatch, 784]) }, { name: 'mlp_eval' });
const evalStep = await compileWith(classify, { steps, seed, backend }, await step.params());
const test = loadMnist({ split: 'test' });
const acc = await accuracy(evalStep, test, evalBatch);
const { first, last } = lossSummary(losses);
console.log(`trained ${steps} steps (${((steps * BATCH) / train.n).toFixed(2)} epochs) in ${trainSeconds.toFixed(1)} s, ${((1000 * trainSeconds) / steps).toFixed(0)} ms/step`);
console.log(`loss ${first.toFixed(4)} → ${last.toFixed(4)} (mean of the first/last 10% of steps)`);
console.log(`test accuracy: ${(100 * acc).toFixed(2)}% of ${test.n} images`);
await writePlot(join(outDir, 'loss.svg'), [{ name: 'train loss', values: losses }], { title: `MNIST MLP, ${steps} steps: test accuracy ${(100 * acc).toFixed(2)}%`, logY: true });
console.log(`  wrote ${join(outDir, 'loss.svg')}`);
step.dispose();
evalStep.dispose();
