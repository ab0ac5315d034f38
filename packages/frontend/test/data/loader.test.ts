// Host data pipeline: DataLoader epochs (seeded per epoch, every row once, partial tail kept or
// dropped), the for…of epoch counter, and endless iteration across epochs.
import { describe, it, expect } from 'vitest';
import { KilnError } from '@kiln/ir';
import { batches, loader, DataLoader, type Batch } from '../../src/data/index.js';

function makeDataset(n: number) {
  const x = new Float32Array(n * 2);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x[i * 2] = i;
    x[i * 2 + 1] = -i;
    y[i] = i;
  }
  return { n, x, y, name: 'toy' };
}

type Toy = ReturnType<typeof makeDataset>;
const rowsOf = (list: Iterable<Batch<Toy>>): number[][] => [...list].map((b) => Array.from(b.rows));

describe('DataLoader', () => {
  it('is deterministic per (seed, epoch) and reshuffles between epochs and seeds', () => {
    const ds = makeDataset(40);
    const a = loader(ds, { batchSize: 8, seed: 7 });
    const b = loader(ds, { batchSize: 8, seed: 7 });
    expect(rowsOf(a.epoch(3))).toEqual(rowsOf(b.epoch(3)));
    // Same order whatever was iterated before: epoch(e) is a pure function of (seed, e).
    rowsOf(a.epoch(0));
    expect(rowsOf(a.epoch(3))).toEqual(rowsOf(b.epoch(3)));
    expect(rowsOf(a.epoch(0))).not.toEqual(rowsOf(a.epoch(1)));
    expect(rowsOf(a.epoch(0))).not.toEqual(rowsOf(loader(ds, { batchSize: 8, seed: 8 }).epoch(0)));
    // It is `batches` with the loader's seed and the epoch, not a second shuffling scheme.
    expect(rowsOf(a.epoch(2))).toEqual(rowsOf(batches(ds, { batchSize: 8, seed: 7, epoch: 2 })));
    // Seed defaults to 0.
    expect(rowsOf(loader(ds, { batchSize: 8 }).epoch(1))).toEqual(rowsOf(batches(ds, { batchSize: 8, seed: 0, epoch: 1 })));
  });

  it('visits every row exactly once per epoch and keeps the partial last batch by default', () => {
    const ds = makeDataset(10);
    const dl = loader(ds, { batchSize: 4, seed: 1 });
    expect(dl.batchesPerEpoch).toBe(3);
    expect(dl.size).toBe(10);
    for (const e of [0, 1, 5]) {
      const list = [...dl.epoch(e)];
      expect(list.map((b) => b.size)).toEqual([4, 4, 2]);
      expect(list.map((b) => b.index)).toEqual([0, 1, 2]);
      const seen = list.flatMap((b) => Array.from(b.rows)).sort((p, q) => p - q);
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => i));
      for (const b of list) {
        expect(b.columns.x.length).toBe(2 * b.size);
        b.rows.forEach((r, i) => expect(b.columns.y[i]).toBe(r));
      }
    }
  });

  it('drops the partial last batch with dropLast, and counts accordingly', () => {
    const ds = makeDataset(10);
    const dl = loader(ds, { batchSize: 4, seed: 1, dropLast: true });
    expect(dl.batchesPerEpoch).toBe(2);
    expect(dl.size).toBe(8);
    const list = [...dl.epoch(0)];
    expect(list.map((b) => b.size)).toEqual([4, 4]);
    expect(new Set(list.flatMap((b) => Array.from(b.rows))).size).toBe(8);
    // The kept batches are the first 8 rows of the same permutation as without dropLast.
    const kept = rowsOf(loader(ds, { batchSize: 4, seed: 1 }).epoch(0));
    expect(rowsOf(list)).toEqual(kept.slice(0, 2));
    // An exact multiple has no tail to drop.
    expect(loader(makeDataset(8), { batchSize: 4, dropLast: true }).size).toBe(8);
  });

  it('keeps the dataset order with shuffle: false', () => {
    const dl = loader(makeDataset(5), { batchSize: 2, shuffle: false, seed: 99 });
    expect(rowsOf(dl.epoch(0))).toEqual([[0, 1], [2, 3], [4]]);
    expect(rowsOf(dl.epoch(4))).toEqual([[0, 1], [2, 3], [4]]);
    expect(dl.shuffle).toBe(false);
  });

  it('for…of runs the next epoch each time, like a seeded PyTorch DataLoader', () => {
    const ds = makeDataset(12);
    const dl = loader(ds, { batchSize: 5, seed: 3 });
    expect(dl.nextEpoch).toBe(0);
    const first = rowsOf(dl);
    const second = rowsOf(dl);
    expect(first).toEqual(rowsOf(dl.epoch(0)));
    expect(second).toEqual(rowsOf(dl.epoch(1)));
    expect(dl.nextEpoch).toBe(2);
    // Breaking out early still uses up the epoch.
    for (const b of dl) {
      expect(Array.from(b.rows)).toEqual(rowsOf(dl.epoch(2))[0]);
      break;
    }
    expect(dl.nextEpoch).toBe(3);
    dl.setEpoch(7);
    expect(rowsOf(dl)).toEqual(rowsOf(dl.epoch(7)));
    expect(dl.nextEpoch).toBe(8);
  });

  it('forever() runs epoch after epoch, tagging each batch with its epoch', () => {
    const ds = makeDataset(10);
    const dl = loader(ds, { batchSize: 4, seed: 5 });
    const taken: { epoch: number; rows: number[] }[] = [];
    for (const { epoch, batch } of dl.forever()) {
      taken.push({ epoch, rows: Array.from(batch.rows) });
      if (taken.length === 7) break;
    }
    expect(taken.map((t) => t.epoch)).toEqual([0, 0, 0, 1, 1, 1, 2]);
    expect(taken.slice(0, 6).map((t) => t.rows)).toEqual([...rowsOf(dl.epoch(0)), ...rowsOf(dl.epoch(1))]);
    expect(taken[6]!.rows).toEqual(rowsOf(dl.epoch(2))[0]);
    expect(dl.nextEpoch).toBe(0);
    const resumed = dl.forever(4).next();
    expect(resumed.value.epoch).toBe(4);
    expect(Array.from(resumed.value.batch.rows)).toEqual(rowsOf(dl.epoch(4))[0]);
  });

  it('rejects bad options early, and a forever() that could never yield', () => {
    const ds = makeDataset(3);
    expect(() => loader(ds, { batchSize: 0 })).toThrow(KilnError);
    expect(() => loader(ds, { batchSize: 2.5 })).toThrow(/batchSize must be a positive integer, got 2.5/);
    expect(() => loader(ds, { batchSize: 2, seed: 0.5 })).toThrow(/seed must be a safe integer/);
    expect(() => loader({ n: -1 }, { batchSize: 2 })).toThrow(/dataset.n/);
    const dl = new DataLoader(ds, { batchSize: 2 });
    expect(() => dl.epoch(-1)).toThrow(/epoch must be a non-negative integer, got -1/);
    expect(() => dl.setEpoch(1.5)).toThrow(KilnError);
    const empty = loader(ds, { batchSize: 4, dropLast: true });
    expect(empty.batchesPerEpoch).toBe(0);
    expect(() => empty.forever().next()).toThrow(/an epoch has no batches \(3 rows, batchSize 4, dropLast\)/);
  });
});
