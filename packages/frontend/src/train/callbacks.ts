// Training loop (host side): stock callbacks for `fit`, early stopping and checkpoint-on-best, with
// Keras semantics (monitor, mode, patience, minDelta). They never touch weights or files themselves:
// the caller passes the save/restore functions, so they work with any model or checkpoint format.

import { KilnError } from '@kiln/ir';
import { formatValue } from './progress.js';
import type { Callback, EpochLogs, TrainControl } from './types.js';

/** Whether a smaller ('min') or a larger ('max') monitored value is better. */
export type MonitorMode = 'min' | 'max';

/** Which epoch value a callback watches, and which direction counts as better. */
export interface MonitorOptions {
  /** `'loss'` (the epoch's mean training loss) or a key returned by `validate` (default `'val_loss'`). */
  readonly monitor?: string;
  /** Default: 'max' when the name contains "acc" (accuracy), else 'min'. */
  readonly mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 0: any strict improvement). */
  readonly minDelta?: number;
}

/** The default direction for a monitored name: accuracies go up, losses and errors go down. */
export function inferMode(monitor: string): MonitorMode {
  return monitor.toLowerCase().includes('acc') ? 'max' : 'min';
}

/**
 * The value of `key` in an epoch's logs: `'loss'` is the training loss, any other key a metric
 * from `validate`. A missing key throws, naming the keys there are, since a typo would otherwise
 * silently disable the callback.
 */
export function monitoredValue(logs: EpochLogs, key: string, who = 'monitor'): number {
  if (key === 'loss') return logs.loss;
  const value = logs.metrics[key];
  if (value === undefined) {
    const available = ['loss', ...Object.keys(logs.metrics)].join(', ');
    const hint = key.startsWith('val_') && Object.keys(logs.metrics).length === 0 ? ' (pass `validate` to fit() to get validation metrics)' : '';
    throw new KilnError({ message: `${who}: monitored key "${key}" is not in the epoch logs; available: ${available}${hint}` });
  }
  return value;
}

/** Tracks the best value of one monitored key; shared by both callbacks so they agree on "better". */
class BestTracker {
  readonly monitor: string;
  readonly mode: MonitorMode;
  private readonly minDelta: number;
  private readonly who: string;
  best = NaN;
  bestEpoch: number | undefined;

  constructor(options: MonitorOptions, who: string) {
    const { monitor = 'val_loss', mode = inferMode(monitor), minDelta = 0 } = options;
    if (!(minDelta >= 0)) throw new KilnError({ message: `${who}: minDelta must be >= 0, got ${minDelta}` });
    this.monitor = monitor;
    this.mode = mode;
    this.minDelta = minDelta;
    this.who = who;
  }

  reset(): void {
    this.best = NaN;
    this.bestEpoch = undefined;
  }

  /** Reads the monitored value of `logs`; records it and returns true when it improves on the best. */
  update(logs: EpochLogs): boolean {
    const value = monitoredValue(logs, this.monitor, this.who);
    // A NaN metric is never an improvement (every comparison with NaN is false), so it counts as a stall.
    const improved = this.bestEpoch === undefined ? !Number.isNaN(value) : this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (improved) {
      this.best = value;
      this.bestEpoch = logs.epoch;
    }
    return improved;
  }
}

/** Saves and restores the best weights for {@link earlyStopping}; e.g. a copy of `model.stateDict()`. */
export interface WeightSnapshot {
  /** Called on every improvement: remember the current weights. */
  save(): Promise<void>;
  /** Called once at the end of training when the weights changed since the last `save`. */
  restore(): Promise<void>;
}

/** Options of {@link earlyStopping}. */
export interface EarlyStoppingOptions extends MonitorOptions {
  /**
   * Epochs in a row without improvement before training stops (default 0). As in Keras, the count
   * includes the epoch being judged, so 0 and 1 both stop at the first epoch that does not improve.
   */
  readonly patience?: number;
  /** Keep the weights of the best epoch: snapshot on each improvement, roll back at the end. */
  readonly restoreBest?: WeightSnapshot;
}

/** The {@link Callback} that {@link earlyStopping} returns, with its state readable afterwards. */
export interface EarlyStopping extends Callback {
  /** The key watched in the epoch logs. */
  readonly monitor: string;
  /** The direction that counts as better (given, or inferred from the name). */
  readonly mode: MonitorMode;
  /** Best monitored value seen (NaN before the first epoch). */
  readonly best: number;
  /** Epoch of `best`, from 0. */
  readonly bestEpoch: number | undefined;
  /** Epoch at whose end training was stopped, if it was. */
  readonly stoppedEpoch: number | undefined;
}

/**
 * Stops training when the monitored value (default `val_loss`) has not improved for `patience`
 * epochs, and with `restoreBest` puts the best epoch's weights back at the end.
 *
 * @example
 * let best: Record<string, HostTensor> = {};
 * train.earlyStopping({ patience: 3, restoreBest: {
 *   save: async () => { best = await model.stateDict(); },
 *   restore: async () => { await model.loadStateDict(best); },
 * } });
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  const { patience = 0, restoreBest } = options;
  if (!Number.isInteger(patience) || patience < 0) {
    throw new KilnError({ message: `earlyStopping: patience must be a non-negative integer, got ${patience}` });
  }
  const tracker = new BestTracker(options, 'earlyStopping');
  let wait = 0;
  let stoppedEpoch: number | undefined;
  // True once steps have run after the last snapshot: only then does restoring change anything.
  let dirty = false;
  let saved = false;
  return {
    monitor: tracker.monitor,
    mode: tracker.mode,
    get best() {
      return tracker.best;
    },
    get bestEpoch() {
      return tracker.bestEpoch;
    },
    get stoppedEpoch() {
      return stoppedEpoch;
    },
    onTrainBegin() {
      tracker.reset();
      wait = 0;
      stoppedEpoch = undefined;
      dirty = false;
      saved = false;
    },
    onEpochBegin() {
      dirty = true;
    },
    async onEpochEnd(logs: EpochLogs, control: TrainControl) {
      if (tracker.update(logs)) {
        wait = 0;
        control.markBest(logs.epoch);
        if (restoreBest !== undefined) {
          await restoreBest.save();
          saved = true;
          dirty = false;
        }
        return;
      }
      wait++;
      if (wait >= Math.max(1, patience)) {
        stoppedEpoch = logs.epoch;
        const best = tracker.bestEpoch === undefined ? 'no valid value yet' : `best ${formatValue(tracker.best)} at epoch ${tracker.bestEpoch + 1}`;
        control.stop(`early stopping: ${tracker.monitor} did not improve for ${wait} epoch${wait === 1 ? '' : 's'} (${best})`);
      }
    },
    async onTrainEnd() {
      if (restoreBest !== undefined && saved && dirty) await restoreBest.restore();
    },
  };
}

/** Options of {@link checkpointOnBest}. */
export interface CheckpointOnBestOptions extends MonitorOptions {
  /** Writes the checkpoint, e.g. `() => checkpoint.save('best.safetensors', model)`; awaited before the next epoch. */
  readonly save: (epoch: number, logs: EpochLogs) => Promise<void>;
}

/** The {@link Callback} that {@link checkpointOnBest} returns, with its state readable afterwards. */
export interface CheckpointOnBest extends Callback {
  /** The key watched in the epoch logs. */
  readonly monitor: string;
  /** The direction that counts as better (given, or inferred from the name). */
  readonly mode: MonitorMode;
  /** Best monitored value seen (NaN before the first epoch). */
  readonly best: number;
  /** Epoch of the last checkpoint written, from 0. */
  readonly bestEpoch: number | undefined;
}

/** Calls `save` at the end of every epoch whose monitored value (default `val_loss`) is the best so far. */
export function checkpointOnBest(options: CheckpointOnBestOptions): CheckpointOnBest {
  const tracker = new BestTracker(options, 'checkpointOnBest');
  return {
    monitor: tracker.monitor,
    mode: tracker.mode,
    get best() {
      return tracker.best;
    },
    get bestEpoch() {
      return tracker.bestEpoch;
    },
    onTrainBegin() {
      tracker.reset();
    },
    async onEpochEnd(logs: EpochLogs, control: TrainControl) {
      if (!tracker.update(logs)) return;
      control.markBest(logs.epoch);
      await options.save(logs.epoch, logs);
    },
  };
}
