// Host-side data pipeline: a DataLoader over a Dataset, i.e. `batches` with the epoch bookkeeping
// of a PyTorch DataLoader (seeded reshuffle per epoch, an epoch counter, endless iteration).
// Shuffling and gathering stay in batches.ts; this file only decides which epoch to ask for.

import { KilnError } from '@kiln/ir';
import { batches, numBatches, type Batch, type Dataset } from './batches.js';

/** Options of {@link loader}. */
export interface LoaderOptions {
  /** Rows per batch (a positive integer). */
  readonly batchSize: number;
  /** Reshuffle every epoch (default true); false keeps the dataset's own row order. */
  readonly shuffle?: boolean;
  /** Seed of the shuffle (default 0): epoch `e` uses the permutation `shuffle(n, deriveSeed(seed, e))`. */
  readonly seed?: number;
  /**
   * Drop the final partial batch (default false). Kept, it is a smaller batch (`size < batchSize`)
   * and a compiled step specialises for that shape once; dropped, every batch has the same shape.
   */
  readonly dropLast?: boolean;
}

/** One batch of {@link DataLoader.forever}, tagged with the epoch it belongs to. */
export interface EpochBatch<D> {
  /** Epoch the batch belongs to, from 0. */
  readonly epoch: number;
  /** The batch (its `index` counts from 0 again in every epoch). */
  readonly batch: Batch<D>;
}

function checkEpoch(epoch: number, what: string): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new KilnError({ message: `${what}: epoch must be a non-negative integer, got ${epoch}` });
  }
}

/**
 * Minibatches of a dataset, epoch by epoch. `epoch(e)` is a pure function of (seed, e): the same
 * epoch always yields the same batches, whatever was iterated before, so a resumed run reproduces
 * the order of an uninterrupted one. Iterating the loader itself (`for (const b of loader)`) runs
 * the next epoch of an internal counter, like a PyTorch DataLoader with a seeded generator.
 */
export class DataLoader<D extends Dataset> implements Iterable<Batch<D>> {
  /** The dataset batches are drawn from. */
  readonly dataset: D;
  /** Rows per batch. */
  readonly batchSize: number;
  /** Whether each epoch is a fresh seeded permutation. */
  readonly shuffle: boolean;
  /** Seed of the per-epoch permutations. */
  readonly seed: number;
  /** Whether the final partial batch is skipped. */
  readonly dropLast: boolean;
  private next = 0;

  /** Prefer {@link loader}; the constructor takes the same arguments. */
  constructor(dataset: D, options: LoaderOptions) {
    const { batchSize, shuffle = true, seed = 0, dropLast = false } = options;
    // Checked here rather than on first iteration, so a bad config fails where it was written.
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new KilnError({ message: `loader: batchSize must be a positive integer, got ${batchSize}` });
    }
    if (!Number.isSafeInteger(seed)) throw new KilnError({ message: `loader: seed must be a safe integer, got ${seed}` });
    if (!Number.isInteger(dataset.n) || dataset.n < 0) {
      throw new KilnError({ message: `loader: dataset.n must be a non-negative integer, got ${dataset.n}` });
    }
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** Batches in one epoch (the partial last batch counts unless dropLast). */
  get batchesPerEpoch(): number {
    return numBatches(this.dataset.n, this.batchSize, this.dropLast);
  }

  /** Rows one epoch visits: `dataset.n`, less the dropped tail when dropLast is set. */
  get size(): number {
    return this.dropLast ? this.batchesPerEpoch * this.batchSize : this.dataset.n;
  }

  /** The epoch the next `for…of` over the loader will run (0 for a fresh loader). */
  get nextEpoch(): number {
    return this.next;
  }

  /** Sets the epoch the next `for…of` runs, e.g. when resuming from a checkpoint taken at epoch `e`. */
  setEpoch(epoch: number): void {
    checkEpoch(epoch, 'DataLoader.setEpoch');
    this.next = epoch;
  }

  /** The batches of epoch `epoch` (from 0); does not touch the counter behind `for…of`. */
  epoch(epoch: number): Generator<Batch<D>, void, undefined> {
    checkEpoch(epoch, 'DataLoader.epoch');
    return batches(this.dataset, {
      batchSize: this.batchSize,
      epoch,
      dropLast: this.dropLast,
      ...(this.shuffle ? { seed: this.seed } : {}),
    });
  }

  /**
   * One epoch: the counter's current epoch, after which the counter advances. It advances when the
   * iteration starts, so breaking out of a loop early still moves the next loop on to a new epoch.
   */
  [Symbol.iterator](): Generator<Batch<D>, void, undefined> {
    const epoch = this.next;
    this.next = epoch + 1;
    return this.epoch(epoch);
  }

  /** Batches epoch after epoch without end, from `startEpoch` (default 0); independent of the counter. */
  *forever(startEpoch = 0): Generator<EpochBatch<D>, never, undefined> {
    checkEpoch(startEpoch, 'DataLoader.forever');
    // An empty epoch would make this loop spin without ever yielding.
    if (this.batchesPerEpoch === 0) {
      throw new KilnError({
        message: `DataLoader.forever: an epoch has no batches (${this.dataset.n} rows, batchSize ${this.batchSize}${this.dropLast ? ', dropLast' : ''})`,
      });
    }
    for (let epoch = startEpoch; ; epoch++) {
      for (const batch of this.epoch(epoch)) yield { epoch, batch };
    }
  }
}

/**
 * A {@link DataLoader} over `dataset`: shuffled (seed 0) unless told otherwise, partial last batch
 * kept unless `dropLast`. Pass it as `train` to `train.fit`, which asks it for epoch 0, 1, ….
 *
 * @example
 * const dl = data.loader(trainSet, { batchSize: 64, seed: 1 });
 * for (const batch of dl.epoch(0)) await step.run({ x: batch.columns.x, y: batch.columns.y });
 */
export function loader<D extends Dataset>(dataset: D, options: LoaderOptions): DataLoader<D> {
  return new DataLoader(dataset, options);
}
