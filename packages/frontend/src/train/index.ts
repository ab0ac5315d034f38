// Host-side training helpers: `fit` (epoch loop with validation, callbacks, progress and loss history),
// early stopping and checkpoint-on-best callbacks, and the progress renderer. Data loaders live in
// `data` (`data.loader`). Browser-safe: no Node imports; the terminal is found through globalThis.

/**
 * Training loops: `fit` with validation, callbacks (early stopping, checkpoint on best), a progress bar and the loss history.
 * @module
 */
export { fit, epochSeries, type FitOptions, type StepResult, type EpochSource, type TrainData } from './fit.js';
export type { Callback, EpochLogs, History, StepInfo, StepLogs, TrainControl } from './types.js';
export {
  earlyStopping,
  checkpointOnBest,
  monitoredValue,
  inferMode,
  type EarlyStopping,
  type EarlyStoppingOptions,
  type CheckpointOnBest,
  type CheckpointOnBestOptions,
  type MonitorMode,
  type MonitorOptions,
  type WeightSnapshot,
} from './callbacks.js';
export {
  createProgress,
  resolveMode,
  stdoutStream,
  formatBar,
  formatEpochLine,
  formatValue,
  formatDuration,
  type BarState,
  type Progress,
  type ProgressMode,
  type ProgressOptions,
  type TextStream,
} from './progress.js';
