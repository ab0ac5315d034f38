// One model being trained in the page: the jitted training step and prediction function on the
// page's GPUDevice, the batches, and a snapshot of every specialization Kiln compiled (its IR after
// each pass, its kernels and WGSL, its memory plan) for the inspector panes.

import * as k from '@kiln/frontend';
import type { Mnist } from './data.js';
import type { Classifier, ModelSpec } from './models.js';
import { profileKernels, type KernelProfile } from './gpu-timing.js';

export interface IrSnapshot {
  readonly index: number;
  readonly pass: string;
  readonly text: string;
}

/** One compiled specialization of one of the session's jitted functions. */
export interface Compiled {
  readonly id: number;
  readonly fn: 'train' | 'predict';
  readonly info: k.CompileInfo;
  readonly graphs: k.CompiledGraphs;
  /** The traced graph, then the IR after each pass that changed it (k.jit's onIr). */
  readonly ir: readonly IrSnapshot[];
  profile?: KernelProfile;
}

type TrainFn = k.JitFunction<k.Inputs<'x' | 'y'>, { loss: k.Tensor; updates: Readonly<Record<string, k.Tensor>> }>;
type PredictFn = k.JitFunction<k.Inputs<'x'>, { logits: k.Tensor }>;
interface TrainSet {
  readonly n: number;
  readonly x: Float32Array;
  readonly y: Int32Array;
}

export class Session {
  readonly model: Classifier;
  readonly compiled: Compiled[] = [];
  steps = 0;
  private readonly step: TrainFn;
  private readonly predictFn: PredictFn;
  private readonly batches: Generator<k.data.EpochBatch<TrainSet>, never, undefined>;
  private readonly pendingIr = { train: [] as IrSnapshot[], predict: [] as IrSnapshot[] };
  private readonly seen = { train: 0, predict: 0 };
  private lastBatch: { x: k.HostTensor; y: k.HostTensor } | undefined;

  constructor(
    readonly spec: ModelSpec,
    readonly device: GPUDevice,
    readonly data: Mnist,
    readonly onCompiled: (c: Compiled) => void,
    seed = 1,
  ) {
    k.manualSeed(seed);
    this.model = spec.create();
    const model = this.model;
    const opt = spec.optimizer === 'adam' ? k.optim.adam({ lr: spec.lr }) : k.optim.sgd({ lr: spec.lr });
    const irSink = (fn: 'train' | 'predict') => (index: number, pass: string, text: string) => this.pendingIr[fn].push({ index, pass, text });
    this.step = k.jit(
      ({ x, y }: k.Inputs<'x' | 'y'>) => {
        const loss = k.losses.softmaxCrossEntropy(model.forward(x), y, { reduction: 'mean' });
        return { loss, updates: opt.minimize(loss) };
      },
      { name: `${spec.id}_train`, device, onIr: irSink('train') },
    );
    this.predictFn = k.jit(({ x }: k.Inputs<'x'>) => ({ logits: model.forward(x) }), { name: `${spec.id}_predict`, device, onIr: irSink('predict') });
    const train = data.train;
    const set: TrainSet = { n: train.n, x: train.images, y: train.labels };
    this.batches = k.data.loader(set, { batchSize: spec.batch, seed, dropLast: true }).forever();
  }

  get backendReason(): string | undefined {
    return this.step.backendReason ?? this.predictFn.backendReason;
  }

  /** One training step on the next batch; the batch's mean loss. */
  async trainStep(): Promise<number> {
    const { columns } = this.batches.next().value.batch;
    const batch = { x: k.tensor(columns.x, [this.spec.batch, 784]), y: k.tensor(columns.y, [this.spec.batch]) };
    this.lastBatch = batch;
    const { loss } = await this.step(batch);
    this.steps++;
    this.snapshot('train');
    return loss.item();
  }

  /** Logits for n images [n, 784]. */
  async logits(images: Float32Array, n: number): Promise<Float32Array> {
    const { logits } = await this.predictFn({ x: k.tensor(images, [n, 784]) });
    this.snapshot('predict');
    return logits.data as Float32Array;
  }

  /** Accuracy on the test split (one batch of all of it). */
  async testAccuracy(): Promise<number> {
    const test = this.data.test;
    const logits = await this.logits(test.images, test.n);
    let hits = 0;
    for (let i = 0; i < test.n; i++) if (argmax(logits, i * 10, 10) === test.labels[i]) hits++;
    return hits / test.n;
  }

  /** Class probabilities for one 28×28 image. */
  async classify(pixels: Float32Array): Promise<Float32Array> {
    return softmax(await this.logits(pixels, 1));
  }

  /**
   * Per-kernel times of a specialization: the training step on the last batch (ONE real step: its
   * updates apply) or prediction on the test split.
   */
  async profile(c: Compiled): Promise<KernelProfile> {
    let p: KernelProfile;
    if (c.fn === 'train') {
      const batch = this.lastBatch;
      if (batch === undefined) throw new Error('train a step first');
      p = await profileKernels(this.device, () => this.step.profile(batch));
      this.steps++;
    } else {
      const n = Number(/x: f32\[(\d+),/.exec(c.info.signature)?.[1] ?? 1);
      const images = n === this.data.test.n ? this.data.test.images : new Float32Array(n * 784);
      p = await profileKernels(this.device, () => this.predictFn.profile({ x: k.tensor(images, [n, 784]) }));
    }
    c.profile = p;
    return p;
  }

  dispose(): void {
    this.step.dispose();
    this.predictFn.dispose();
  }

  private snapshot(fn: 'train' | 'predict'): void {
    const jitted = fn === 'train' ? this.step : this.predictFn;
    const cache = jitted.cacheInfo();
    if (cache.misses === this.seen[fn]) return;
    this.seen[fn] = cache.misses;
    const graphs = jitted.lastCompiled;
    const info = cache.entries[cache.entries.length - 1];
    if (graphs === undefined || info === undefined) return;
    const ir: IrSnapshot[] = [{ index: -1, pass: 'traced', text: k.printGraph(graphs.traced.graph) }, ...this.pendingIr[fn].splice(0)];
    const c: Compiled = { id: this.compiled.length, fn, info, graphs, ir };
    this.compiled.push(c);
    this.onCompiled(c);
  }
}

export function argmax(a: ArrayLike<number>, at: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[at + j]! > a[at + best]!) best = j;
  return best;
}

export function softmax(logits: Float32Array): Float32Array {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}
