// Training loop (host side): the dependency-free progress display of `fit`. On a terminal, one line
// redrawn in place with `\r` (epoch, step/total, running loss, it/s, ETA); elsewhere, one plain line
// per epoch. Nothing here imports Node: the terminal is looked up through a guarded globalThis.process.

import type { EpochLogs } from './types.js';

/** Where the terminal bar is drawn: `process.stdout`, or anything with a compatible `write`. */
export interface TextStream {
  /** The bar is drawn by default ('auto') only when this is true. */
  readonly isTTY?: boolean;
  /** Terminal width; a longer bar would wrap and break the `\r` redraw, so it is cut to fit. */
  readonly columns?: number;
  /** Writes text as is (no newline added). */
  write(chunk: string): unknown;
}

/** 'auto': the bar on a TTY, plain lines otherwise; 'bar' and 'lines' force one; 'none' prints nothing. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** `process.stdout` when running under Node (or a runtime that mimics it), undefined in a browser. */
export function stdoutStream(): TextStream | undefined {
  // A structural view of globalThis: type-checks with or without Node's typings, and reads as
  // undefined wherever there is no `process`.
  const host: { readonly process?: { readonly stdout?: TextStream } } = globalThis;
  return host.process?.stdout;
}

/** The display `mode` resolves to with this stream: a bar needs somewhere to draw. */
export function resolveMode(mode: ProgressMode, stream: TextStream | undefined): 'bar' | 'lines' | 'none' {
  if (mode === 'none' || mode === 'lines') return mode;
  if (stream === undefined) return 'lines';
  return mode === 'bar' || stream.isTTY === true ? 'bar' : 'lines';
}

/** A loss or metric for display: 4 decimals in the everyday range, exponent notation outside it. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a === 0 || (a >= 1e-3 && a < 1e4) ? v.toFixed(4) : v.toExponential(3);
}

/** Seconds for display: `1.2 s` under a minute, `3m 05s` above. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, '0');
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m ${s}s` : `${m}m ${s}s`;
}

/** The plain summary of an epoch, e.g. `epoch 3/10: loss 0.1234, val_loss 0.2345 (1.2 s)`. */
export function formatEpochLine(logs: EpochLogs, epochs: number): string {
  const metrics = Object.entries(logs.metrics)
    .map(([k, v]) => `, ${k} ${formatValue(v)}`)
    .join('');
  return `epoch ${logs.epoch + 1}/${epochs}: loss ${formatValue(logs.loss)}${metrics} (${formatDuration(logs.seconds)})`;
}

/** State of the bar line, for {@link formatBar}. */
export interface BarState {
  /** Epoch, from 0 (printed from 1). */
  readonly epoch: number;
  /** Epochs in the run. */
  readonly epochs: number;
  /** Steps done in this epoch. */
  readonly done: number;
  /** Steps in the epoch, when known; without it there is no bar and no ETA. */
  readonly total?: number;
  /** Running mean loss of the epoch. */
  readonly loss: number;
  /** Seconds since the epoch began. */
  readonly elapsed: number;
  /** Width of the `[===>...]` part (default 24). */
  readonly width?: number;
}

/** The terminal line, e.g. `epoch 3/10 [=====>......] 12/40 loss 0.1234 35.2 it/s ETA 1.3 s` (no ETA once done). */
export function formatBar(s: BarState): string {
  const rate = s.elapsed > 0 ? s.done / s.elapsed : NaN;
  const speed = Number.isFinite(rate) ? `${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} it/s` : '- it/s';
  const head = `epoch ${s.epoch + 1}/${s.epochs}`;
  if (s.total === undefined || s.total <= 0) return `${head} ${s.done} steps loss ${formatValue(s.loss)} ${speed}`;
  const width = s.width ?? 24;
  const filled = Math.min(width, Math.floor((width * s.done) / s.total));
  const bar = s.done >= s.total ? '='.repeat(width) : `${'='.repeat(filled)}>${'.'.repeat(width - filled - 1)}`;
  // No ETA on the finished bar: it would only ever read 0.
  const eta = s.done < s.total && Number.isFinite(rate) && rate > 0 ? ` ETA ${formatDuration(Math.max(0, s.total - s.done) / rate)}` : '';
  return `${head} [${bar}] ${s.done}/${s.total} loss ${formatValue(s.loss)} ${speed}${eta}`;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Default 'auto'. */
  readonly mode?: ProgressMode;
  /** Epochs in the run (for the `epoch e/N` label). */
  readonly epochs: number;
  /** Steps per epoch, when known (a DataLoader's `batchesPerEpoch`): gives the bar its length and the ETA. */
  readonly stepsPerEpoch?: number;
  /** Where the bar is drawn (default: `process.stdout` when there is one). */
  readonly stream?: TextStream;
  /** Sink for plain lines (default `console.log`). */
  readonly log?: (line: string) => void;
  /** Clock in milliseconds (default `performance.now`); tests pass a fake one. */
  readonly now?: () => number;
  /** Least time between two redraws of the bar (default 100 ms), so fast steps don't flood the terminal. */
  readonly redrawMs?: number;
  /** Width of the `[===>...]` part (default 24). */
  readonly barWidth?: number;
}

/** What `fit` reports to; one per run. */
export interface Progress {
  /** The display actually used. */
  readonly mode: 'bar' | 'lines' | 'none';
  /** Epoch `epoch` (from 0) starts: the bar's clock and count restart. */
  epochBegin(epoch: number): void;
  /** `done` steps of the epoch are finished; `loss` is their running mean. */
  step(done: number, loss: number): void;
  /** The epoch is over: its summary line is printed (replacing the bar on a terminal). */
  epochEnd(logs: EpochLogs): void;
  /** A line outside the per-epoch summaries (e.g. why training stopped). */
  message(line: string): void;
  /** Ends a bar line left half-drawn (after an error or a divergence). */
  close(): void;
}

const SILENT: Progress = { mode: 'none', epochBegin() {}, step() {}, epochEnd() {}, message() {}, close() {} };

/** A progress display for a run of `epochs` epochs: a `\r` bar, plain lines, or nothing (see {@link ProgressMode}). */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? stdoutStream();
  const mode = resolveMode(options.mode ?? 'auto', stream);
  const { epochs, stepsPerEpoch, redrawMs = 100, barWidth = 24 } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  if (mode === 'none') return SILENT;
  if (mode === 'lines' || stream === undefined) {
    return {
      mode: 'lines',
      epochBegin() {},
      step() {},
      epochEnd: (logs) => log(formatEpochLine(logs, epochs)),
      message: (line) => log(line),
      close() {},
    };
  }

  const now = options.now ?? (() => performance.now());
  let epoch = 0;
  let startedAt = 0;
  let lastDraw = -Infinity;
  let drawn = 0; // length of the line on screen; 0 when the cursor is at the start of a fresh line
  const fit = (text: string): string => {
    const cols = stream.columns;
    return cols !== undefined && cols > 1 && text.length >= cols ? text.slice(0, cols - 1) : text;
  };
  // Padding to the previous length blanks leftovers of a longer line without ANSI escapes. Only a
  // line that stays on screen to be redrawn is cut to the width; a finished one may wrap.
  const draw = (text: string, end: string): void => {
    const line = end === '' ? fit(text) : text;
    stream.write(`\r${line.padEnd(drawn)}${end}`);
    drawn = end === '' ? line.length : 0;
  };
  return {
    mode: 'bar',
    epochBegin(e) {
      epoch = e;
      startedAt = now();
      lastDraw = -Infinity;
    },
    step(done, loss) {
      const t = now();
      if (t - lastDraw < redrawMs && done !== stepsPerEpoch) return;
      lastDraw = t;
      const total = stepsPerEpoch;
      draw(formatBar({ epoch, epochs, done, loss, elapsed: (t - startedAt) / 1000, width: barWidth, ...(total !== undefined ? { total } : {}) }), '');
    },
    epochEnd(logs) {
      // The summary replaces the bar, so the scrollback holds one line per epoch, as in Keras.
      draw(formatEpochLine(logs, epochs), '\n');
    },
    message(line) {
      if (drawn > 0) draw('', '');
      stream.write(`\r${line}\n`);
      drawn = 0;
    },
    close() {
      if (drawn > 0) stream.write('\n');
      drawn = 0;
    },
  };
}
