// Training loop: earlyStopping (patience, minDelta, mode inference, restoring the best weights) and
// checkpointOnBest (saves exactly on improvements), driven through fit with scripted metrics.
import { describe, it, expect } from 'vitest';
import { KilnError } from '@kiln/ir';
import { fit, earlyStopping, checkpointOnBest, inferMode, type EpochLogs } from '../../src/train/index.js';
import { flat, scripted } from './helpers.js';

/** A scripted run whose epoch e reports `{ [key]: values[e] }`, two steps of loss 1 per epoch. */
function withMetric(key: string, values: readonly number[]) {
  return scripted({ losses: flat(values.length), metrics: values.map((v) => ({ [key]: v })) });
}

/** A restoreBest spy: records `save@<epochs validated>` and `restore@<epochs validated>`. */
function snapshotSpy(calls: readonly string[]) {
  const events: string[] = [];
  const epochsDone = (): number => calls.filter((c) => c.startsWith('val:')).length;
  return {
    events,
    snapshot: {
      save: async () => void events.push(`save@${epochsDone()}`),
      restore: async () => void events.push(`restore@${epochsDone()}`),
    },
  };
}

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement, and restores the best weights', async () => {
    // Best at epoch 1 (0.8); epochs 2 and 3 do not improve → stop at the end of epoch 3.
    const run = withMetric('val_loss', [1.0, 0.8, 0.9, 0.85, 0.1, 0.1]);
    const { events, snapshot } = snapshotSpy(run.calls);
    const es = earlyStopping({ patience: 2, restoreBest: snapshot });
    const history = await fit({ ...run.options, callbacks: [es], progress: 'none' });
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2, 3]);
    expect(run.calls.at(-1)).toBe('val:3');
    expect(history.stoppedEarly).toBe(true);
    expect(history.stopReason).toBe('early stopping: val_loss did not improve for 2 epochs (best 0.8000 at epoch 2)');
    expect(history.bestEpoch).toBe(1);
    expect(es.bestEpoch).toBe(1);
    expect(es.best).toBe(0.8);
    expect(es.stoppedEpoch).toBe(3);
    // A snapshot on each improvement, one restore at the end.
    expect(events).toEqual(['save@1', 'save@2', 'restore@4']);
  });

  it('resets its patience on an improvement', async () => {
    const run = withMetric('val_loss', [1.0, 0.8, 0.9, 0.7, 0.75, 0.76, 0.6]);
    const history = await fit({ ...run.options, callbacks: [earlyStopping({ patience: 2 })], progress: 'none' });
    expect(history.epochs).toHaveLength(6);
    expect(history.bestEpoch).toBe(3);
  });

  it('with patience 0 stops at the first epoch that does not improve', async () => {
    const history = await fit({ ...withMetric('val_loss', [3, 2, 2, 1]).options, callbacks: [earlyStopping()], progress: 'none' });
    // Equal is not better.
    expect(history.epochs).toHaveLength(3);
    expect(history.stopReason).toMatch(/did not improve for 1 epoch \(/);
  });

  it('needs an improvement larger than minDelta', async () => {
    const history = await fit({
      ...withMetric('val_loss', [1.0, 0.95, 0.85, 0.8]).options,
      callbacks: [earlyStopping({ minDelta: 0.1, patience: 2 })],
      progress: 'none',
    });
    // 0.95 is within 0.1 of the best (1.0): a stall; 0.85 beats it by 0.15: the new best; 0.8: a stall.
    expect(history.epochs).toHaveLength(4);
    expect(history.bestEpoch).toBe(2);
    const strict = await fit({
      ...withMetric('val_loss', [1.0, 0.95, 0.91, 0.5]).options,
      callbacks: [earlyStopping({ minDelta: 0.1, patience: 2 })],
      progress: 'none',
    });
    expect(strict.epochs).toHaveLength(3);
    expect(strict.bestEpoch).toBe(0);
    // In max mode the margin applies upwards: 0.55 is not 0.1 above 0.5.
    const up = await fit({
      ...withMetric('val_accuracy', [0.5, 0.55, 0.7]).options,
      callbacks: [earlyStopping({ monitor: 'val_accuracy', minDelta: 0.1 })],
      progress: 'none',
    });
    expect(up.epochs).toHaveLength(2);
    expect(up.bestEpoch).toBe(0);
  });

  it('maximises accuracies by default and follows an explicit mode', async () => {
    expect(inferMode('val_accuracy')).toBe('max');
    expect(inferMode('val_acc')).toBe('max');
    expect(inferMode('val_loss')).toBe('min');
    const es = earlyStopping({ monitor: 'val_accuracy' });
    expect(es.mode).toBe('max');
    const h = await fit({ ...withMetric('val_accuracy', [0.5, 0.6, 0.55, 0.9]).options, callbacks: [es], progress: 'none' });
    expect(h.epochs).toHaveLength(3);
    expect(h.bestEpoch).toBe(1);
    const forcedMin = await fit({
      ...withMetric('val_accuracy', [0.5, 0.6, 0.55]).options,
      callbacks: [earlyStopping({ monitor: 'val_accuracy', mode: 'min' })],
      progress: 'none',
    });
    expect(forcedMin.epochs).toHaveLength(2);
    expect(forcedMin.bestEpoch).toBe(0);
  });

  it('can monitor the training loss', async () => {
    const run = scripted({
      losses: [
        [2, 2],
        [1, 1],
        [1, 3],
      ],
    });
    const h = await fit({ ...run.options, callbacks: [earlyStopping({ monitor: 'loss' })], progress: 'none' });
    expect(h.epochs).toHaveLength(3);
    expect(h.bestEpoch).toBe(1);
    expect(h.stoppedEarly).toBe(true);
  });

  it('does not restore when the last epoch was the best', async () => {
    const run = withMetric('val_loss', [3, 2, 1]);
    const { events, snapshot } = snapshotSpy(run.calls);
    const h = await fit({ ...run.options, callbacks: [earlyStopping({ patience: 1, restoreBest: snapshot })], progress: 'none' });
    expect(h.stoppedEarly).toBe(false);
    expect(events).toEqual(['save@1', 'save@2', 'save@3']);
  });

  it('restores the best weights after a divergence', async () => {
    const run = scripted({
      losses: [
        [1, 1],
        [1, NaN],
      ],
      metrics: [{ val_loss: 1 }, { val_loss: 1 }],
    });
    const { events, snapshot } = snapshotSpy(run.calls);
    const h = await fit({ ...run.options, callbacks: [earlyStopping({ restoreBest: snapshot })], progress: 'none' });
    expect(h.stopReason).toMatch(/loss is NaN/);
    // Epoch 1 ran steps after the snapshot of epoch 0, so those weights are put back.
    expect(events).toEqual(['save@1', 'restore@1']);
  });

  it('starts afresh when the same callback is reused for a second run', async () => {
    const es = earlyStopping({ patience: 1 });
    await fit({ ...withMetric('val_loss', [0.1, 0.2]).options, callbacks: [es], progress: 'none' });
    expect(es.stoppedEpoch).toBe(1);
    // Without a reset, 0.5 would not beat the old best of 0.1 and this run would stop at epoch 0.
    const h = await fit({ ...withMetric('val_loss', [0.5, 0.4, 0.3]).options, callbacks: [es], progress: 'none' });
    expect(h.epochs).toHaveLength(3);
    expect(es.stoppedEpoch).toBeUndefined();
    expect(es.best).toBe(0.3);
  });

  it('names the missing monitored key and the keys available', async () => {
    const err = await fit({ ...scripted({ losses: flat(2) }).options, callbacks: [earlyStopping()], progress: 'none' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect(String(err)).toContain('earlyStopping: monitored key "val_loss" is not in the epoch logs; available: loss (pass `validate` to fit() to get validation metrics)');
    const typo = fit({ ...withMetric('val_acc', [0.5, 0.6]).options, callbacks: [earlyStopping({ monitor: 'val_accuracy' })], progress: 'none' });
    await expect(typo).rejects.toThrow('earlyStopping: monitored key "val_accuracy" is not in the epoch logs; available: loss, val_acc');
  });

  it('rejects bad patience and minDelta', () => {
    expect(() => earlyStopping({ patience: -1 })).toThrow(/patience must be a non-negative integer/);
    expect(() => earlyStopping({ patience: 1.5 })).toThrow(KilnError);
    expect(() => earlyStopping({ minDelta: -0.1 })).toThrow(/minDelta must be >= 0/);
  });
});

describe('checkpointOnBest', () => {
  it('saves exactly at the epochs that improve on the best', async () => {
    const saved: { epoch: number; logs: EpochLogs }[] = [];
    const ckpt = checkpointOnBest({ save: async (epoch, logs) => void saved.push({ epoch, logs }) });
    const h = await fit({ ...withMetric('val_loss', [1, 1.2, 0.9, 0.9, 0.5, 0.7]).options, callbacks: [ckpt], progress: 'none' });
    expect(saved.map((s) => s.epoch)).toEqual([0, 2, 4]);
    expect(saved.map((s) => s.logs.metrics['val_loss'])).toEqual([1, 0.9, 0.5]);
    expect(h.epochs).toHaveLength(6);
    expect(h.bestEpoch).toBe(4);
    expect(ckpt.best).toBe(0.5);
  });

  it('maximises accuracies, and awaits each save before the next epoch', async () => {
    const order: string[] = [];
    const run = withMetric('val_accuracy', [0.5, 0.4, 0.7]);
    const ckpt = checkpointOnBest({
      monitor: 'val_accuracy',
      save: async (epoch) => {
        await new Promise((r) => setTimeout(r, 5));
        order.push(`saved ${epoch}`);
      },
    });
    await fit({
      ...run.options,
      callbacks: [ckpt, { onEpochBegin: (e) => void order.push(`epoch ${e}`) }],
      progress: 'none',
    });
    expect(order).toEqual(['epoch 0', 'saved 0', 'epoch 1', 'epoch 2', 'saved 2']);
  });

  it('names a missing monitored key', async () => {
    const run = withMetric('val_loss', [1]);
    await expect(fit({ ...run.options, callbacks: [checkpointOnBest({ monitor: 'val_f1', save: async () => {} })], progress: 'none' })).rejects.toThrow(
      'checkpointOnBest: monitored key "val_f1" is not in the epoch logs; available: loss, val_loss',
    );
  });

  it('works alongside earlyStopping on the same monitor', async () => {
    const saved: number[] = [];
    const h = await fit({
      ...withMetric('val_loss', [5, 4, 4.5, 3, 3.5, 3.6, 1]).options,
      callbacks: [earlyStopping({ patience: 2 }), checkpointOnBest({ save: async (e) => void saved.push(e) })],
      progress: 'none',
    });
    expect(saved).toEqual([0, 1, 3]);
    expect(h.epochs).toHaveLength(6);
    expect(h.bestEpoch).toBe(3);
  });
});
