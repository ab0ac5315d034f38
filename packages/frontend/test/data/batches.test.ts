// Host data pipeline: minibatch iteration and row selection over row-major typed-array datasets.
import { describe, it, expect } from 'vitest';
import { batches, numBatches, selectRows } from '../../src/data/index.js';

function makeDataset(n: number) {
  const x = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 3; j++) x[i * 3 + j] = i * 10 + j;
    y[i] = i;
  }
  return { n, x, y, classNames: ['a', 'b'] };
}

describe('batches', () => {
  it('covers every row exactly once per epoch, with rows and columns in step', () => {
    const ds = makeDataset(10);
    const seen: number[] = [];
    const list = [...batches(ds, { batchSize: 4, seed: 1 })];
    expect(list.map((b) => b.size)).toEqual([4, 4, 2]);
    expect(list.map((b) => b.index)).toEqual([0, 1, 2]);
    for (const b of list) {
      expect(b.columns.x).toBeInstanceOf(Float32Array);
      expect(b.columns.y).toBeInstanceOf(Int32Array);
      expect(b.columns.x.length).toBe(b.size * 3);
      expect('classNames' in b.columns).toBe(false);
      b.rows.forEach((r, i) => {
        expect(b.columns.y[i]).toBe(r);
        expect(Array.from(b.columns.x.subarray(i * 3, i * 3 + 3))).toEqual([r * 10, r * 10 + 1, r * 10 + 2]);
      });
      seen.push(...b.rows);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
  });

  it('reshuffles per epoch, reproducibly', () => {
    const ds = makeDataset(50);
    const order = (epoch: number) => [...batches(ds, { batchSize: 50, seed: 2, epoch })][0]!.rows;
    expect(Array.from(order(0))).toEqual(Array.from(order(0)));
    expect(Array.from(order(0))).not.toEqual(Array.from(order(1)));
  });

  it('keeps dataset order without a seed and drops the tail with dropLast', () => {
    const ds = makeDataset(10);
    const plain = [...batches(ds, { batchSize: 4 })];
    expect(plain.map((b) => Array.from(b.columns.y))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(Array.from(plain[2]!.columns.x)).toEqual([80, 81, 82, 90, 91, 92]);
    const dropped = [...batches(ds, { batchSize: 4, seed: 3, dropLast: true })];
    expect(dropped.map((b) => b.size)).toEqual([4, 4]);
    expect(new Set(dropped.flatMap((b) => [...b.rows])).size).toBe(8);
    expect(numBatches(10, 4)).toBe(3);
    expect(numBatches(10, 4, true)).toBe(2);
  });

  it('copies: batches do not alias the dataset', () => {
    const ds = makeDataset(4);
    const [b] = [...batches(ds, { batchSize: 4 })];
    b!.columns.x[0] = -1;
    expect(ds.x[0]).toBe(0);
  });

  it('rejects inconsistent columns and bad batch sizes', () => {
    expect(() => [...batches({ n: 3, x: new Float32Array(7) }, { batchSize: 2 })]).toThrow(/"x".*multiple of n = 3/);
    expect(() => [...batches(makeDataset(3), { batchSize: 0 })]).toThrow(/batchSize/);
  });
});

describe('selectRows', () => {
  it('gathers rows of every column and keeps other fields', () => {
    const ds = makeDataset(5);
    const sub = selectRows(ds, Uint32Array.of(4, 1));
    expect(sub.n).toBe(2);
    expect(Array.from(sub.y)).toEqual([4, 1]);
    expect(Array.from(sub.x)).toEqual([40, 41, 42, 10, 11, 12]);
    expect(sub.classNames).toBe(ds.classNames);
    expect(() => selectRows(ds, Uint32Array.of(5))).toThrow(/out of range/);
  });
});
