// Example support: training progress. On a terminal, a cli-progress bar with step, loss and step
// rate; when stdout is not a TTY (CI, pipes) it degrades to a plain log line every few seconds,
// so logs stay readable instead of filling with carriage returns.

import cliProgress from 'cli-progress';

export interface ProgressOptions {
  readonly total: number;
  readonly label?: string;
  /** Seconds between plain log lines when not on a TTY (default 5). */
  readonly logIntervalS?: number;
  readonly stream?: NodeJS.WriteStream | { readonly isTTY?: boolean; write(s: string): boolean };
  /** Clock in milliseconds (for tests). */
  readonly now?: () => number;
}

export interface Progress {
  /** Reports that `step` steps are done; `loss` is shown when given. */
  update(step: number, loss?: number): void;
  /** Ends the bar (or prints the final log line). */
  stop(): void;
}

function formatLoss(loss: number | undefined): string {
  if (loss === undefined) return '-';
  return Math.abs(loss) >= 1e-3 && Math.abs(loss) < 1e4 ? loss.toFixed(4) : loss.toExponential(3);
}

export function createProgress(options: ProgressOptions): Progress {
  const { total, label = 'train', logIntervalS = 5 } = options;
  const stream = options.stream ?? process.stdout;
  const now = options.now ?? (() => performance.now());
  const startedAt = now();
  const rate = (step: number): string => {
    const elapsedS = (now() - startedAt) / 1000;
    return elapsedS > 0 ? (step / elapsedS).toFixed(1) : '-';
  };

  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | loss {loss} | {rate} steps/s | eta {eta_formatted}`,
        stream: stream as NodeJS.WriteStream,
        barsize: 30,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { loss: '-', rate: '-' });
    return {
      update: (step, loss) => bar.update(step, { loss: formatLoss(loss), rate: rate(step) }),
      stop: () => bar.stop(),
    };
  }

  let lastLogAt = -Infinity;
  let last: { step: number; loss: number | undefined } = { step: 0, loss: undefined };
  const log = (): void => {
    const pct = total > 0 ? ((100 * last.step) / total).toFixed(0) : '100';
    stream.write(`${label} step ${last.step}/${total} (${pct}%) loss ${formatLoss(last.loss)} ${rate(last.step)} steps/s\n`);
    lastLogAt = now();
  };
  return {
    update: (step, loss) => {
      last = { step, loss };
      if (now() - lastLogAt >= logIntervalS * 1000) log();
    },
    stop: () => log(),
  };
}
