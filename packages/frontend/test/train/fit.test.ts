// Training loop: fit's history (per-step losses, per-epoch means, metrics, times), the data forms it
// accepts, divergence handling, callback hooks and stop requests, and its plain-line output.
import { describe, it, expect } from 'vitest';
import { KilnError } from '@kiln/ir';
import { loader } from '../../src/data/index.js';
import { fit, epochSeries, type Callback, type StepLogs } from '../../src/train/index.js';
import { fakeClock, flat, scripted } from './helpers.js';

describe('fit', () => {
  it('records every step loss, epoch means, validation metrics and epoch times', async () => {
    const run = scripted({
      losses: [
        [4, 2, 3],
        [1, 2, 0],
      ],
      metrics: [
        { val_loss: 2.5, val_accuracy: 0.5 },
        { val_loss: 1.5, val_accuracy: 0.75 },
      ],
    });
    const infos: string[] = [];
    const history = await fit({
      ...run.options,
      trainStep: async (b, info) => {
        infos.push(`${info.epoch}/${info.step}/${info.epochStep}`);
        return run.options.trainStep(b, info);
      },
      progress: 'none',
    });
    expect(history.loss).toEqual([4, 2, 3, 1, 2, 0]);
    expect(history.epochs).toEqual([
      // 3 steps × 250 ms + 500 ms of validation.
      { epoch: 0, loss: 3, metrics: { val_loss: 2.5, val_accuracy: 0.5 }, seconds: 1.25 },
      { epoch: 1, loss: 1, metrics: { val_loss: 1.5, val_accuracy: 0.75 }, seconds: 1.25 },
    ]);
    expect(history.stoppedEarly).toBe(false);
    expect(history.stopReason).toBeUndefined();
    expect(history.bestEpoch).toBeUndefined();
    expect(infos).toEqual(['0/0/0', '0/1/1', '0/2/2', '1/3/0', '1/4/1', '1/5/2']);
    expect(run.calls).toEqual(['0:0', '0:1', '0:2', 'val:0', '1:0', '1:1', '1:2', 'val:1']);
    expect(epochSeries(history, 'loss')).toEqual([3, 1]);
    expect(epochSeries(history, 'val_accuracy')).toEqual([0.5, 0.75]);
    expect(() => epochSeries(history, 'val_acc')).toThrow(/"val_acc".*available: loss, val_loss, val_accuracy/);
  });

  it('accepts { loss } results and reads epochs from a DataLoader by epoch index', async () => {
    const ds = { n: 10, y: Int32Array.from({ length: 10 }, (_, i) => i) };
    const dl = loader(ds, { batchSize: 4, seed: 11 });
    const seen: number[][] = [];
    const history = await fit({
      epochs: 3,
      train: dl,
      trainStep: async (batch) => {
        seen.push(Array.from(batch.columns.y));
        return { loss: batch.size };
      },
      progress: 'none',
    });
    const expected = [0, 1, 2].flatMap((e) => [...dl.epoch(e)].map((b) => Array.from(b.rows)));
    expect(seen).toEqual(expected);
    // The partial last batch (2 rows) is trained on: epoch mean (4 + 4 + 2) / 3.
    expect(history.loss).toEqual([4, 4, 2, 4, 4, 2, 4, 4, 2]);
    expect(history.epochs.map((e) => e.loss)).toEqual([10 / 3, 10 / 3, 10 / 3]);
    // fit asks for epochs explicitly, so the loader's own for…of counter is left alone.
    expect(dl.nextEpoch).toBe(0);
  });

  it('re-iterates an array each epoch but refuses a one-shot generator', async () => {
    const batchesSeen: number[] = [];
    const h = await fit({ epochs: 2, train: [5, 6], trainStep: async (b) => (batchesSeen.push(b), b), progress: 'none' });
    expect(batchesSeen).toEqual([5, 6, 5, 6]);
    expect(h.epochs.map((e) => e.loss)).toEqual([5.5, 5.5]);
    function* once(): Generator<number> {
      yield 1;
      yield 2;
    }
    const err = await fit({ epochs: 2, train: once(), trainStep: async (b) => b, progress: 'none' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect(String(err)).toMatch(/no batches for epoch 2 \(an iterator or generator is used up after one pass/);
  });

  it('stops on a NaN loss with the reason in the history, skipping that epoch', async () => {
    const run = scripted({
      losses: [
        [0.5, 0.4],
        [0.3, NaN, 0.2],
        [0.1, 0.1],
      ],
      metrics: [{ val_loss: 1 }, { val_loss: 1 }, { val_loss: 1 }],
    });
    const lines: string[] = [];
    const ends: number[] = [];
    const history = await fit({
      ...run.options,
      progress: 'lines',
      log: (l) => lines.push(l),
      callbacks: [{ onTrainEnd: (h) => void ends.push(h.loss.length) }],
    });
    expect(history.loss).toEqual([0.5, 0.4, 0.3, NaN]);
    expect(history.epochs.map((e) => e.epoch)).toEqual([0]);
    expect(history.stoppedEarly).toBe(true);
    expect(history.stopReason).toBe('loss is NaN at epoch 2, step 2 (step 4 overall); training stopped');
    // No further step, and no validation of the diverged weights.
    expect(run.calls).toEqual(['0:0', '0:1', 'val:0', '1:0', '1:1']);
    expect(lines).toEqual(['epoch 1/3: loss 0.4500, val_loss 1.0000 (1.0 s)', history.stopReason]);
    expect(ends).toEqual([4]);
  });

  it('treats an infinite loss as divergence too', async () => {
    const history = await fit({ ...scripted({ losses: [[1, Infinity, 1]] }).options, progress: 'none' });
    expect(history.loss).toEqual([1, Infinity]);
    expect(history.stopReason).toMatch(/^loss is Infinity at epoch 1, step 2/);
    expect(history.epochs).toEqual([]);
  });

  it('runs the hooks in order and honours a stop request from a step', async () => {
    const events: string[] = [];
    const spy: Callback = {
      onTrainBegin: () => void events.push('begin'),
      onEpochBegin: (e) => void events.push(`epoch ${e}`),
      onStepEnd: (s: StepLogs, control) => {
        events.push(`step ${s.step} (${s.epoch}.${s.epochStep}) ${s.loss}`);
        if (s.step === 3) control.stop();
      },
      onEpochEnd: (logs) => void events.push(`end ${logs.epoch} ${logs.loss}`),
      onTrainEnd: (h) => void events.push(`done ${h.epochs.length}`),
    };
    const run = scripted({
      losses: [
        [1, 2],
        [3, 5, 7],
        [9, 9],
      ],
      metrics: [{ m: 0 }, { m: 1 }, { m: 2 }],
    });
    const history = await fit({ ...run.options, callbacks: [spy], progress: 'none' });
    expect(events).toEqual([
      'begin',
      'epoch 0',
      'step 0 (0.0) 1',
      'step 1 (0.1) 2',
      'end 0 1.5',
      'epoch 1',
      'step 2 (1.0) 3',
      'step 3 (1.1) 5',
      // Stopped mid-epoch: the epoch still ends (validated and logged) over the steps it ran.
      'end 1 4',
      'done 2',
    ]);
    expect(run.calls).toEqual(['0:0', '0:1', 'val:0', '1:0', '1:1', 'val:1']);
    expect(history.stoppedEarly).toBe(true);
    expect(history.stopReason).toBe('stopped by a callback in epoch 2');
  });

  it('keeps the first stop reason and lets callbacks report the best epoch', async () => {
    const cbs: Callback[] = [
      { onEpochEnd: (logs, c) => (logs.epoch === 1 ? c.stop('first') : undefined) },
      { onEpochEnd: (logs, c) => (c.markBest(logs.epoch), logs.epoch === 1 ? c.stop('second') : undefined) },
    ];
    const history = await fit({ ...scripted({ losses: flat(4) }).options, callbacks: cbs, progress: 'none' });
    expect(history.epochs).toHaveLength(2);
    expect(history.stopReason).toBe('first');
    expect(history.bestEpoch).toBe(1);
  });

  it('prints one plain line per epoch through log, and nothing with progress none', async () => {
    const lines: string[] = [];
    const run = scripted({
      losses: [
        [0.5, 0.25],
        [0.125, 0.125],
      ],
      metrics: [{ val_loss: 0.2345 }, { val_loss: 0.00012 }],
      stepMs: 100,
    });
    const written: string[] = [];
    await fit({ ...run.options, log: (l) => lines.push(l), stream: { isTTY: false, write: (s) => written.push(s) } });
    expect(lines).toEqual(['epoch 1/2: loss 0.3750, val_loss 0.2345 (0.7 s)', 'epoch 2/2: loss 0.1250, val_loss 1.200e-4 (0.7 s)']);
    expect(written).toEqual([]);
    const quiet: string[] = [];
    await fit({ ...scripted({ losses: flat(2) }).options, progress: 'none', log: (l) => quiet.push(l) });
    expect(quiet).toEqual([]);
  });

  it('draws the bar on a TTY stream and leaves log alone', async () => {
    const written: string[] = [];
    const lines: string[] = [];
    const run = scripted({ losses: [[2, 2, 2, 2]], stepMs: 1000 });
    const tty = { isTTY: true, write: (s: string) => written.push(s) };
    await fit({ ...run.options, stepsPerEpoch: 4, log: (l) => lines.push(l), stream: tty });
    expect(lines).toEqual([]);
    expect(written[0]).toBe('\repoch 1/1 [======>.................] 1/4 loss 2.0000 1.0 it/s ETA 3.0 s');
    expect(written.at(-2)?.trimEnd()).toBe('\repoch 1/1 [========================] 4/4 loss 2.0000 1.0 it/s');
    // The epoch summary overwrites the bar (padded over its tail) and ends the line.
    const barLength = written.at(-2)!.trimEnd().length - 1;
    expect(written.at(-1)).toBe(`\r${'epoch 1/1: loss 2.0000 (4.0 s)'.padEnd(barLength)}\n`);
    // Without a known epoch length there is no bar, only a step count.
    written.length = 0;
    await fit({ ...scripted({ losses: [[2, 2]], stepMs: 1000 }).options, stream: tty });
    expect(written[0]).toBe('\repoch 1/1 1 steps loss 2.0000 1.0 it/s');
  });

  it('rejects bad epochs and a validate that returns "loss"', async () => {
    await expect(fit({ epochs: -1, train: [1], trainStep: async () => 1, progress: 'none' })).rejects.toThrow(/epochs must be a non-negative integer/);
    await expect(fit({ epochs: 1, train: [1], trainStep: async () => 1, validate: async () => ({ loss: 1 }), progress: 'none' })).rejects.toThrow(/validate returned a "loss" key/);
    const clock = fakeClock();
    const h = await fit({ epochs: 0, train: [1], trainStep: async () => 1, progress: 'none', now: clock.now });
    expect(h).toEqual({ loss: [], epochs: [], stoppedEarly: false });
  });

  it('closes a half-drawn bar line when a step throws, and propagates the error', async () => {
    const written: string[] = [];
    let n = 0;
    const failing = fit({
      epochs: 1,
      train: [1, 2, 3],
      trainStep: async () => {
        if (++n === 2) throw new Error('device lost');
        return 1;
      },
      stream: { isTTY: true, write: (s) => written.push(s) },
    });
    await expect(failing).rejects.toThrow('device lost');
    expect(written.at(-1)).toBe('\n');
  });
});
