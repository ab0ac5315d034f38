// Training loop (host side): `fit`, a Keras-style epoch loop around a caller's training step, with
// validation, callbacks, a progress display and the loss history. It knows nothing of graphs: the
// step is any async function returning the batch loss, so compiled steps and plain JS fit alike.

import { KilnError } from '@kiln/ir';
import { monitoredValue } from './callbacks.js';
import { createProgress, type ProgressMode, type TextStream } from './progress.js';
import type { Callback, EpochLogs, History, StepInfo, TrainControl } from './types.js';

/** What a training step returns: the batch loss, bare or as the `loss` field of its outputs. */
export type StepResult =
  | number
  | {
      /** The batch loss. */
      readonly loss: number;
    };

/** Training data that can produce any epoch on demand; a `data.DataLoader` is one. */
export interface EpochSource<B> {
  /** The batches of epoch `epoch` (from 0), in the order to train on them. */
  epoch(epoch: number): Iterable<B>;
}

/**
 * Training data for {@link fit}: an {@link EpochSource} (asked for epoch 0, 1, …, so shuffling is
 * reproducible per epoch), or any re-iterable collection (an array), iterated once per epoch.
 */
export type TrainData<B> = Iterable<B> | EpochSource<B>;

/** Options of {@link fit}. */
export interface FitOptions<B> {
  /** Epochs to run (a non-negative integer), unless a callback or a non-finite loss stops training first. */
  readonly epochs: number;
  /** Runs one optimisation step on a batch and returns the batch loss. */
  readonly trainStep: (batch: B, info: StepInfo) => Promise<StepResult>;
  /** The batches of each epoch; a `DataLoader` fits the `{ epoch(e) }` form. */
  readonly train: TrainData<B>;
  /** Evaluates after each epoch, e.g. `{ val_loss, val_accuracy }`; the keys become `EpochLogs.metrics`. */
  readonly validate?: (epoch: number) => Promise<Readonly<Record<string, number>>>;
  /** Hooks run in this order at each point of the loop, e.g. `[earlyStopping(…), checkpointOnBest(…)]`. */
  readonly callbacks?: readonly Callback[];
  /** Default 'auto': a `\r` bar when `stream` is a TTY, one plain line per epoch otherwise. */
  readonly progress?: ProgressMode;
  /** Sink for plain lines (default `console.log`). */
  readonly log?: (line: string) => void;
  /** Where the bar is drawn (default `process.stdout` when there is one; in a browser, lines go to `log`). */
  readonly stream?: TextStream;
  /** Steps per epoch for the bar and its ETA; read from `train.batchesPerEpoch` or `train.length` when omitted. */
  readonly stepsPerEpoch?: number;
  /** Clock in milliseconds for epoch times and rates (default `performance.now`); tests pass a fake one. */
  readonly now?: () => number;
}

function isEpochSource<B>(train: TrainData<B>): train is EpochSource<B> {
  return 'epoch' in train && typeof train.epoch === 'function';
}

/** Steps per epoch, when the data says: a DataLoader's `batchesPerEpoch`, an array's `length`. */
function knownSteps<B>(train: TrainData<B>): number | undefined {
  if ('batchesPerEpoch' in train && typeof train.batchesPerEpoch === 'number') return train.batchesPerEpoch;
  if ('length' in train && typeof train.length === 'number') return train.length;
  return undefined;
}

function stepLoss(result: StepResult): number {
  const loss = typeof result === 'number' ? result : result.loss;
  // Types already say so; this catches JS callers returning a step's whole output record.
  if (typeof loss !== 'number') {
    throw new KilnError({ message: `fit: trainStep must resolve to the batch loss (a number or { loss: number }), got ${typeof loss}` });
  }
  return loss;
}

/**
 * Trains for `epochs` epochs: each step's loss goes into `history.loss`; after each epoch,
 * `validate` runs, the epoch's logs go into `history.epochs`, the progress display and the
 * callbacks see them, and a callback may stop training. A NaN or infinite batch loss stops training
 * at once, with the reason in `history.stopReason`, instead of training on garbage. Epochs count
 * from 0 in every record (progress lines print them from 1).
 *
 * @example
 * const history = await train.fit({
 *   epochs: 20,
 *   train: data.loader(trainSet, { batchSize: 64, seed: 1 }),
 *   trainStep: async (b) => (await step.run({ x: b.columns.x, y: b.columns.y }))['loss'] as number,
 *   validate: async () => ({ val_loss: await evaluate(testSet) }),
 *   callbacks: [train.earlyStopping({ patience: 3 })],
 * });
 */
export async function fit<B>(opts: FitOptions<B>): Promise<History> {
  const { epochs, trainStep, train, validate, callbacks = [] } = opts;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new KilnError({ message: `fit: epochs must be a non-negative integer, got ${epochs}` });
  }
  const now = opts.now ?? (() => performance.now());
  const stepsPerEpoch = opts.stepsPerEpoch ?? knownSteps(train);
  const progress = createProgress({
    mode: opts.progress ?? 'auto',
    epochs,
    now,
    ...(stepsPerEpoch !== undefined ? { stepsPerEpoch } : {}),
    ...(opts.stream !== undefined ? { stream: opts.stream } : {}),
    ...(opts.log !== undefined ? { log: opts.log } : {}),
  });
  const epochData = (epoch: number): Iterable<B> => (isEpochSource(train) ? train.epoch(epoch) : train);

  const loss: number[] = [];
  const epochLogs: EpochLogs[] = [];
  let stopReason: string | undefined;
  let bestEpoch: number | undefined;
  let epoch = 0;
  const control: TrainControl = {
    stop(reason?: string) {
      stopReason ??= reason ?? `stopped by a callback in epoch ${epoch + 1}`;
    },
    get stopped() {
      return stopReason !== undefined;
    },
    markBest(e: number) {
      bestEpoch = e;
    },
  };

  try {
    for (const cb of callbacks) await cb.onTrainBegin?.(control);
    for (; epoch < epochs && !control.stopped; epoch++) {
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, control);
      if (control.stopped) break;
      progress.epochBegin(epoch);
      const startedAt = now();
      let sum = 0;
      let count = 0;
      let diverged = false;
      for (const batch of epochData(epoch)) {
        const info: StepInfo = { epoch, step: loss.length, epochStep: count };
        const value = stepLoss(await trainStep(batch, info));
        loss.push(value);
        if (!Number.isFinite(value)) {
          stopReason = `loss is ${value} at epoch ${epoch + 1}, step ${count + 1} (step ${info.step + 1} overall); training stopped`;
          diverged = true;
          break;
        }
        sum += value;
        count++;
        progress.step(count, sum / count);
        for (const cb of callbacks) await cb.onStepEnd?.({ ...info, loss: value }, control);
        if (control.stopped) break;
      }
      // A diverged epoch is not logged: its mean and any validation of the wrecked weights mean nothing.
      if (diverged) break;
      if (count === 0) {
        const hint = !isEpochSource(train) && epoch > 0 ? ' (an iterator or generator is used up after one pass: pass an array, a data.DataLoader or { epoch(e) })' : '';
        throw new KilnError({ message: `fit: train yielded no batches for epoch ${epoch + 1}${hint}` });
      }
      const metrics = validate === undefined ? {} : await validate(epoch);
      if ('loss' in metrics) {
        throw new KilnError({ message: 'fit: validate returned a "loss" key, which would shadow the training loss; name it e.g. "val_loss"' });
      }
      const logs: EpochLogs = { epoch, loss: sum / count, metrics, seconds: (now() - startedAt) / 1000 };
      epochLogs.push(logs);
      progress.epochEnd(logs);
      for (const cb of callbacks) await cb.onEpochEnd?.(logs, control);
    }
    if (stopReason !== undefined) progress.message(stopReason);
  } finally {
    // Also on a throw: a half-drawn bar line must not swallow the error message printed after it.
    progress.close();
  }

  const history: History = {
    loss,
    epochs: epochLogs,
    stoppedEarly: stopReason !== undefined,
    ...(stopReason !== undefined ? { stopReason } : {}),
    ...(bestEpoch !== undefined ? { bestEpoch } : {}),
  };
  for (const cb of callbacks) await cb.onTrainEnd?.(history);
  return history;
}

/**
 * One value per completed epoch, for plotting: `'loss'` gives the epoch-mean training loss, any
 * other key a validation metric (missing in an epoch → a KilnError naming the keys there are).
 */
export function epochSeries(history: History, key: string): number[] {
  return history.epochs.map((logs) => monitoredValue(logs, key, 'epochSeries'));
}
