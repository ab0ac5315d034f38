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
import { DEFAULT_PIPELINE } from '@kiln/passes';
import { lossSummary, parseBackend } from './common.js';
import { loadMnist } from './lib/datasets.js';
import { writePlot } from './lib/plot.js';
import { createProgress } from './lib/progress.js';
import { Mlp, accuracy, mnistLoss, trainStep } from './mlp-mnist.js';

const BATCH = 128;
const HIDDEN = 256;

const { values } = parseArgs({ options: { steps: { type: 'string' }, seed: { type: 'string' }, backend: { type: 'string' }, out: { type: 'string' } } });
const steps = Number(values.steps ?? 2500);
const seed = Number(values.seed ?? 0);
const backend = parseBackend(values.backend);
const outDir = values.out ?? 'out/demo';
if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got ${values.steps}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
await mkdir(outDir, { recursive: true });
const dump = async (name: string, text: string): Promise<void> => {
  await writeFile(join(outDir, name), text);
  console.log(`  wrote ${join(outDir, name)} (${text.split('\n').length} lines)`);
};

console.log(`Kiln demo: MNIST MLP 784-${HIDDEN}-10, batch ${BATCH}, ${steps} Adam steps (cosine-decayed lr)`);
k.manualSeed(seed);
const model = new Mlp(HIDDEN);

// The forward pass traced symbolically (nothing runs or compiles) and its gradient graph: the
// model's parameters are the graph's state inputs, named by field path (fc1.weight, ...).
const forward = k.trace(({ x, y }) => ({ loss: mnistLoss(model, x, y) }), { x: k.f32([BATCH, 784]), y: k.i32([BATCH]) }, { name: 'mlp' });
await dump('1-forward.kir', forward.print({ locations: true }));
await dump('2-gradient.kir', print(k.gradGraph(forward.graph, { of: 'loss', wrt: forward.params.map((p) => p.name) })));

// The training step compiles on its first call; onIr names the passes that changed the graph.
const changed: string[] = [];
let compiled: k.CompileInfo | undefined;
const step = trainStep(model, 2e-3, steps, {
  name: 'mlp_train',
  backend,
  onIr: (_index, pass) => changed.push(pass),
  onCompile: (info) => (compiled = info),
});
const predict = k.jit(({ x }: { x: k.Tensor }) => ({ logits: model.forward(x) }), { name: 'mlp_predict', backend });

const train = loadMnist({ split: 'train' });
const batches = k.data.loader({ n: train.n, x: train.images, y: train.labels }, { batchSize: BATCH, seed, dropLast: true }).forever();
const run = async (): Promise<number> => {
  const { columns } = batches.next().value.batch;
  const { loss } = await step({ x: k.tensor(columns.x, [BATCH, 784]), y: k.tensor(columns.y, [BATCH]) });
  return loss.item();
};

const losses: number[] = [];
const tFirst = performance.now();
losses.push(await run());
const firstSeconds = (performance.now() - tFirst) / 1000;
const graphs = step.lastCompiled;
if (graphs === undefined || compiled === undefined) throw new Error('the training step ran without compiling');
await dump('3-train-step.kir', graphs.traced.print({ locations: true }));
await dump('4-train-step.optimized.kir', print(graphs.graph));
console.log(`  pipeline ${DEFAULT_PIPELINE}: ${compiled.passesMs.toFixed(0)} ms, changed the graph: ${changed.join(', ')}`);
console.log(
  `  compiled in ${compiled.totalMs.toFixed(0)} ms: ${compiled.primitiveOps} traced primitive ops → ${compiled.kernels} ${compiled.backend === 'webgpu' ? 'WGSL kernels' : 'interpreted nodes'}`,
);
console.log(`backend: ${step.backend} (${step.backendReason})`);

const progress = createProgress({ total: steps, label: 'demo' });
progress.update(1, losses[0]);
const t0 = performance.now();
for (let s = 2; s <= steps; s++) {
  losses.push(await run());
  progress.update(s, losses[s - 1]);
}
progress.stop();
const restSeconds = (performance.now() - t0) / 1000;

// The same weights evaluated in batches of 1,000 by a second jitted function (nothing is copied).
const test = loadMnist({ split: 'test' });
const acc = await accuracy(predict, test, 1000);
const { first, last } = lossSummary(losses);
const msPerStep = steps > 1 ? `${((1000 * restSeconds) / (steps - 1)).toFixed(0)} ms/step after the first` : 'one step';
console.log(
  `trained ${steps} steps (${((steps * BATCH) / train.n).toFixed(2)} epochs) in ${(firstSeconds + restSeconds).toFixed(1)} s, ${msPerStep} (which compiled and ran in ${firstSeconds.toFixed(1)} s)`,
);
console.log(`loss ${first.toFixed(4)} → ${last.toFixed(4)} (mean of the first/last 10% of steps)`);
console.log(`test accuracy: ${(100 * acc).toFixed(2)}% of ${test.n} images`);
await writePlot(join(outDir, 'loss.svg'), [{ name: 'train loss', values: losses }], { title: `MNIST MLP, ${steps} steps: test accuracy ${(100 * acc).toFixed(2)}%`, logY: true });
console.log(`  wrote ${join(outDir, 'loss.svg')}`);
step.dispose();
predict.dispose();
