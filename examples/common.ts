// Shared plumbing for the example scripts (not an example itself): the train() contract every
// example exports, command-line parsing (--steps, --seed, --plot, --backend), the progress bar,
// loss plots, the k.jit options the training options imply, and small helpers shared by several
// examples (argmax, text windows and held-out loss for the language models, sampling).

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as k from '@kiln/frontend';
import { writePlot, type Series } from './lib/plot.js';
import { createProgress } from './lib/progress.js';

export interface TrainOptions {
  readonly steps: number;
  readonly seed: number;
  readonly backend?: k.BackendChoice;
  /** Interpreter precision when the CPU backend runs (f64 for precision comparisons). */
  readonly precision?: 'f32' | 'f64';
  /**
   * Called once, right after the training step's first call (k.jit compiles on first call): the
   * CLI prints the backend it chose and why; the e2e tests check the compiled graph's memory plan.
   */
  readonly onFirstStep?: (step: CompiledFunction) => void;
  /** Called after every training step with the step's loss (the progress bar hooks in here). */
  readonly onStep?: (step: number, loss: number) => void;
}

export type Metrics = Record<string, number | string>;

/** What a jitted function tells about itself once it has run: its backend, why, and its latest compiled graphs. */
export type CompiledFunction = Pick<k.JitFunction<object, k.JitReturn>, 'backend' | 'backendReason' | 'lastCompiled'>;

/** k.jit options from the training options: backend, CPU precision, and the seed of state made by name inside the function (RNG keys). */
export function jitOptions(opts: TrainOptions, name: string): k.JitOptions {
  return { name, backend: opts.backend ?? 'auto', seed: opts.seed, ...(opts.precision !== undefined ? { precision: opts.precision } : {}) };
}

export interface TrainResult {
  /** One loss per training step. */
  readonly losses: number[];
  readonly metrics: Metrics;
  /** Further curves for the plot (e.g. the discriminator's loss). */
  readonly extraSeries?: readonly Series[];
}

export interface ExampleSpec {
  readonly name: string;
  readonly defaultSteps: number;
  readonly train: (opts: TrainOptions) => Promise<TrainResult>;
  readonly logY?: boolean;
  /** Legend name of the loss curve (default 'loss'). */
  readonly lossName?: string;
}

/** True when the module with this import.meta.url is the script node was started with. */
export function isMain(metaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry).replace(/\.[cm]?[jt]s$/, '') === fileURLToPath(metaUrl).replace(/\.[cm]?[jt]s$/, '');
}

export interface CliOptions {
  readonly steps: number;
  readonly seed: number;
  readonly plot?: string;
  readonly backend: k.BackendChoice;
}

export function parseCli(defaultSteps: number, argv: readonly string[] = process.argv.slice(2)): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: { steps: { type: 'string' }, seed: { type: 'string' }, plot: { type: 'string' }, backend: { type: 'string' } },
    strict: true,
  });
  const steps = values.steps !== undefined ? Number(values.steps) : defaultSteps;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got ${values.steps}`);
  const seed = values.seed !== undefined ? Number(values.seed) : 0;
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);
  const backend = parseBackend(values.backend);
  return { steps, seed, backend, ...(values.plot !== undefined ? { plot: values.plot } : {}) };
}

/** The --backend flag: auto (default), cpu or webgpu. */
export function parseBackend(flag: string | undefined): k.BackendChoice {
  const wanted = flag ?? 'auto';
  const backend = k.BACKEND_CHOICES.find((c) => c === wanted);
  if (backend === undefined) throw new Error(`--backend must be one of ${k.BACKEND_CHOICES.join(', ')}, got ${wanted}`);
  return backend;
}

/** Runs an example from the command line: progress bar, final metrics, optional loss plot. */
export async function runMain(spec: ExampleSpec): Promise<void> {
  const cli = parseCli(spec.defaultSteps);
  const progress = createProgress({ total: cli.steps, label: spec.name });
  const t0 = performance.now();
  const result = await spec.train({
    steps: cli.steps,
    seed: cli.seed,
    backend: cli.backend,
    onFirstStep: (step) => console.log(`backend: ${step.backend} (${step.backendReason})`),
    onStep: (s, loss) => progress.update(s, loss),
  });
  progress.stop();
  const seconds = (performance.now() - t0) / 1000;
  const { first, last } = lossSummary(result.losses);
  console.log(`${spec.name}: ${cli.steps} steps in ${seconds.toFixed(1)} s; loss ${fmt(first)} → ${fmt(last)} (mean of the first/last 10%)`);
  for (const [name, v] of Object.entries(result.metrics)) console.log(`  ${name}: ${typeof v === 'number' ? fmt(v) : v}`);
  if (cli.plot !== undefined) {
    await writePlot(cli.plot, [{ name: spec.lossName ?? 'loss', values: result.losses }, ...(result.extraSeries ?? [])], {
      title: spec.name,
      ...(spec.logY !== undefined ? { logY: spec.logY } : {}),
    });
    console.log(`  plot: ${cli.plot}`);
  }
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? v.toFixed(4) : v.toExponential(3);
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Mean loss over the first and the last `fraction` of the steps (at least one step each). */
export function lossSummary(losses: readonly number[], fraction = 0.1): { first: number; last: number } {
  const n = Math.max(1, Math.round(losses.length * fraction));
  return { first: mean(losses.slice(0, n)), last: mean(losses.slice(-n)) };
}

/** Index of the largest of `n` values starting at `offset`. */
export function argmaxAt(xs: ArrayLike<number>, offset: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (xs[offset + j]! > xs[offset + best]!) best = j;
  return best;
}

/** B random windows of a token stream: inputs ids[i..i+T) and next-token targets ids[i+1..i+T+1), row-major [B, T]. */
export function textWindows(ids: Int32Array, batch: number, steps: number, rng: k.data.Rng): { x: Int32Array; y: Int32Array } {
  const x = new Int32Array(batch * steps);
  const y = new Int32Array(batch * steps);
  for (let b = 0; b < batch; b++) {
    const start = rng.int(ids.length - steps - 1);
    x.set(ids.subarray(start, start + steps), b * steps);
    y.set(ids.subarray(start + 1, start + steps + 1), b * steps);
  }
  return { x, y };
}

/**
 * A token stream cut into consecutive, non-overlapping windows of `steps` tokens, as a dataset
 * for k.data.loader: row i holds inputs ids[i·T..(i+1)·T) and next-token targets one further on.
 */
export function textBlocks(ids: Int32Array, steps: number): { n: number; x: Int32Array; y: Int32Array } {
  const n = Math.floor((ids.length - 1) / steps);
  return { n, x: ids.slice(0, n * steps), y: ids.slice(1, n * steps + 1) };
}

/** A jitted function giving the summed next-token cross-entropy of a batch of windows x, y [B, T]. */
export type SummedLoss = (inputs: { x: k.HostTensor; y: k.HostTensor }) => Promise<{ readonly loss: k.HostTensor }>;

/**
 * Mean next-token loss (nats per token) over every window of `ids` (see textBlocks), `batch`
 * windows per call; the last, partial batch is evaluated too (one more specialization).
 */
export async function textLoss(evaluate: SummedLoss, ids: Int32Array, steps: number, batch = 256): Promise<number> {
  const blocks = textBlocks(ids, steps);
  let total = 0;
  for (const b of k.data.loader(blocks, { batchSize: batch, shuffle: false }).epoch(0)) {
    const { loss } = await evaluate({ x: k.tensor(b.columns.x, [b.size, steps]), y: k.tensor(b.columns.y, [b.size, steps]) });
    total += loss.item();
  }
  return total / (blocks.n * steps);
}

/** Draws an index from softmax(logits / temperature). */
export function sampleLogits(logits: ArrayLike<number>, offset: number, n: number, temperature: number, rng: k.data.Rng): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, logits[offset + j]!);
  const p = Array.from({ length: n }, (_, j) => Math.exp((logits[offset + j]! - m) / temperature));
  let u = rng.float() * p.reduce((a, b) => a + b, 0);
  for (let j = 0; j < n; j++) if ((u -= p[j]!) <= 0) return j;
  return n - 1;
}
