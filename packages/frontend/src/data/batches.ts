// Host-side data pipeline: minibatches. A dataset is any object with a row count `n` and typed-array
// columns stored row-major (column length = n * rowSize); every batch copies its rows into fresh,
// contiguous arrays of the same type, ready to pass to a compiled step as inputs.

import { KilnError } from '@kiln/ir';
import { deriveSeed } from './random.js';
import { shuffle } from './sampling.js';

export type RowArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export interface Dataset {
  readonly n: number;
}

/** The typed-array fields of a dataset (other fields, such as class names, are not batched). */
export type ColumnsOf<D> = { [K in keyof D as D[K] extends RowArray ? K : never]: D[K] };

export interface Batch<D> {
  /** Position of the batch within its epoch, from 0. */
  readonly index: number;
  /** Rows in this batch (batchSize, except possibly the last batch when dropLast is false). */
  readonly size: number;
  /** Dataset row of each batch row. */
  readonly rows: Uint32Array;
  readonly columns: ColumnsOf<D>;
}

export interface BatchOptions {
  readonly batchSize: number;
  /** Shuffle with this seed (a fresh permutation per epoch); omit for the dataset's own order. */
  readonly seed?: number;
  readonly epoch?: number;
  /** Skip a final partial batch, so every batch has exactly batchSize rows (static graph shapes). */
  readonly dropLast?: boolean;
}

interface Column {
  readonly name: string;
  readonly data: RowArray;
  readonly rowSize: number;
}

function isRowArray(v: unknown): v is RowArray {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint32Array || v instanceof Uint8Array;
}

function allocLike<T extends RowArray>(like: T, length: number): T {
  const ctor = like.constructor as new (length: number) => T;
  return new ctor(length);
}

function columnsOf(dataset: Dataset): Column[] {
  const { n } = dataset;
  if (!Number.isInteger(n) || n < 0) throw new KilnError({ message: `dataset.n must be a non-negative integer, got ${n}` });
  const columns: Column[] = [];
  for (const [name, data] of Object.entries(dataset)) {
    if (!isRowArray(data)) continue;
    if (n === 0 ? data.length !== 0 : data.length % n !== 0) {
      throw new KilnError({ message: `dataset column "${name}" has ${data.length} elements, not a multiple of n = ${n}` });
    }
    columns.push({ name, data, rowSize: n === 0 ? 0 : data.length / n });
  }
  return columns;
}

function gatherColumn(col: Column, rows: Uint32Array): RowArray {
  const { data, rowSize } = col;
  const out = allocLike(data, rows.length * rowSize);
  if (rowSize === 1) {
    for (let i = 0; i < rows.length; i++) out[i] = data[rows[i]!]!;
  } else {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      out.set(data.subarray(r * rowSize, (r + 1) * rowSize), i * rowSize);
    }
  }
  return out;
}

/** A new dataset holding the given rows (in that order); non-array fields are carried over unchanged. */
export function selectRows<D extends Dataset>(dataset: D, rows: Uint32Array): D {
  const cols = columnsOf(dataset);
  for (const r of rows) {
    if (r >= dataset.n) throw new KilnError({ message: `selectRows: row ${r} out of range for n = ${dataset.n}` });
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dataset)) out[key] = value;
  out['n'] = rows.length;
  for (const col of cols) out[col.name] = gatherColumn(col, rows);
  return out as D;
}

export function numBatches(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * Iterates one epoch of minibatches. With a seed, the order is `shuffle(n, deriveSeed(seed, epoch))`,
 * so each epoch sees a different, reproducible permutation; every row appears exactly once per epoch
 * (minus the dropped tail when dropLast is set).
 */
export function* batches<D extends Dataset>(dataset: D, options: BatchOptions): Generator<Batch<D>, void, undefined> {
  const { batchSize, seed, epoch = 0, dropLast = false } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new KilnError({ message: `batches: batchSize must be a positive integer, got ${batchSize}` });
  }
  const cols = columnsOf(dataset);
  const n = dataset.n;
  let order: Uint32Array;
  if (seed === undefined) {
    order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  } else {
    order = shuffle(n, deriveSeed(seed, epoch));
  }
  const count = numBatches(n, batchSize, dropLast);
  for (let index = 0; index < count; index++) {
    const start = index * batchSize;
    const rows = order.slice(start, Math.min(start + batchSize, n));
    const columns: Record<string, RowArray> = {};
    for (const col of cols) {
      // Unshuffled batches are contiguous row ranges: one slice instead of a gather.
      columns[col.name] = seed === undefined ? col.data.slice(start * col.rowSize, (start + rows.length) * col.rowSize) : gatherColumn(col, rows);
    }
    yield { index, size: rows.length, rows, columns: columns as ColumnsOf<D> };
  }
}
