// Training loop (host side): the records `fit` produces and the hook interface callbacks implement.
// Kept apart from fit.ts so callbacks.ts and progress.ts depend on data shapes, not on the loop.

/** Where a training step sits in the run; passed to `trainStep` and to `onStepEnd`. */
export interface StepInfo {
  /** Epoch, from 0. */
  readonly epoch: number;
  /** Step over the whole run, from 0: its loss is `history.loss[step]`. */
  readonly step: number;
  /** Step within the epoch, from 0 (the batch's index in the epoch). */
  readonly epochStep: number;
}

/** A finished step: its position and its batch loss. */
export interface StepLogs extends StepInfo {
  /** The step's batch loss (finite: a non-finite one stops training before the hooks run). */
  readonly loss: number;
}

/** What one epoch produced. */
export interface EpochLogs {
  /** Epoch, from 0 (progress lines print it from 1). */
  readonly epoch: number;
  /** Mean training loss over the epoch's steps. */
  readonly loss: number;
  /** What `validate` returned for this epoch (empty without `validate`), e.g. `{ val_loss, val_accuracy }`. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Wall time of the epoch, training and validation, in seconds. */
  readonly seconds: number;
}

/** The record of a `fit` run: everything needed to plot the curves and to explain how it ended. */
export interface History {
  /** Loss of every step in order, including a final non-finite one when the loss diverged. */
  readonly loss: number[];
  /** One entry per completed epoch (an epoch that diverged is not completed). */
  readonly epochs: EpochLogs[];
  /** True when training ended on a stop request or a non-finite loss instead of running out of epochs. */
  readonly stoppedEarly: boolean;
  /** Why training stopped early (set exactly when `stoppedEarly`). */
  readonly stopReason?: string;
  /** Epoch of the best monitored value, as last reported by a callback (earlyStopping, checkpointOnBest). */
  readonly bestEpoch?: number;
}

/** Handed to callbacks so they can steer the run without a reference to it. */
export interface TrainControl {
  /** Ends training after the current step or epoch finishes; the first reason given is kept. */
  stop(reason?: string): void;
  /** Whether a stop has been requested. */
  readonly stopped: boolean;
  /** Records `epoch` as the best so far; it becomes `history.bestEpoch` (the last report wins). */
  markBest(epoch: number): void;
}

/**
 * Hooks into `fit`, all optional and awaited in the order the callbacks are listed. A callback
 * object may keep state across epochs; it should reset it in `onTrainBegin` so it can be reused.
 */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(control: TrainControl): void | Promise<void>;
  /** Before the epoch's first step. */
  onEpochBegin?(epoch: number, control: TrainControl): void | Promise<void>;
  /** After each step with a finite loss; stopping here still finishes (validates, logs) the epoch. */
  onStepEnd?(logs: StepLogs, control: TrainControl): void | Promise<void>;
  /** After the epoch's validation, with its logs. */
  onEpochEnd?(logs: EpochLogs, control: TrainControl): void | Promise<void>;
  /** After the last epoch, the stop, or the divergence (not when a step or callback threw). */
  onTrainEnd?(history: History): void | Promise<void>;
}
