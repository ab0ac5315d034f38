// Training loop: the progress renderer on its own: number and line formats, mode resolution, the
// `\r` bar's throttled redraws, padding, width cut and line endings, and the plain-line fallback.
import { describe, it, expect, vi } from 'vitest';
import { createProgress, formatBar, formatDuration, formatEpochLine, formatValue, resolveMode, stdoutStream, type TextStream } from '../../src/train/index.js';
import { fakeClock } from './helpers.js';

function tty(columns?: number): TextStream & { readonly out: string[] } {
  const out: string[] = [];
  return { isTTY: true, out, write: (s: string) => out.push(s), ...(columns !== undefined ? { columns } : {}) };
}

describe('formats', () => {
  it('formats values, durations and epoch lines', () => {
    expect(formatValue(0.12345)).toBe('0.1235');
    expect(formatValue(0)).toBe('0.0000');
    expect(formatValue(1.2e-5)).toBe('1.200e-5');
    expect(formatValue(123456)).toBe('1.235e+5');
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatDuration(1.234)).toBe('1.2 s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3725)).toBe('1h 02m 05s');
    expect(formatEpochLine({ epoch: 2, loss: 0.1234, metrics: { val_loss: 0.2345 }, seconds: 1.23 }, 10)).toBe('epoch 3/10: loss 0.1234, val_loss 0.2345 (1.2 s)');
    expect(formatEpochLine({ epoch: 0, loss: 2, metrics: {}, seconds: 0.05 }, 1)).toBe('epoch 1/1: loss 2.0000 (0.1 s)');
  });

  it('draws the bar with step/total, loss, rate and ETA', () => {
    expect(formatBar({ epoch: 2, epochs: 10, done: 10, total: 40, loss: 0.5, elapsed: 2, width: 10 })).toBe('epoch 3/10 [==>.......] 10/40 loss 0.5000 5.0 it/s ETA 6.0 s');
    expect(formatBar({ epoch: 0, epochs: 1, done: 40, total: 40, loss: 0.5, elapsed: 0.1, width: 4 })).toBe('epoch 1/1 [====] 40/40 loss 0.5000 400 it/s');
    expect(formatBar({ epoch: 0, epochs: 1, done: 0, total: 40, loss: NaN, elapsed: 0, width: 4 })).toBe('epoch 1/1 [>...] 0/40 loss NaN - it/s');
    expect(formatBar({ epoch: 0, epochs: 2, done: 7, loss: 1, elapsed: 2 })).toBe('epoch 1/2 7 steps loss 1.0000 3.5 it/s');
  });
});

describe('resolveMode', () => {
  it('draws a bar on a TTY only, unless forced; lines when there is nowhere to draw', () => {
    expect(resolveMode('auto', { isTTY: true, write: () => true })).toBe('bar');
    expect(resolveMode('auto', { isTTY: false, write: () => true })).toBe('lines');
    expect(resolveMode('auto', { write: () => true })).toBe('lines');
    expect(resolveMode('bar', { isTTY: false, write: () => true })).toBe('bar');
    expect(resolveMode('auto', undefined)).toBe('lines');
    expect(resolveMode('bar', undefined)).toBe('lines');
    expect(resolveMode('lines', { isTTY: true, write: () => true })).toBe('lines');
    expect(resolveMode('none', { isTTY: true, write: () => true })).toBe('none');
  });

  it('finds process.stdout under Node, and falls back to lines where there is no process', () => {
    expect(stdoutStream()).toBe(process.stdout);
    // A browser has no `process`: read everything while it is hidden, assert once it is back.
    let found: TextStream | undefined;
    let mode: string | undefined;
    vi.stubGlobal('process', undefined);
    try {
      found = stdoutStream();
      mode = createProgress({ mode: 'bar', epochs: 1 }).mode;
    } finally {
      vi.unstubAllGlobals();
    }
    expect(found).toBeUndefined();
    expect(mode).toBe('lines');
  });
});

describe('createProgress', () => {
  it('redraws the bar at most every redrawMs, always drawing the final step', () => {
    const stream = tty();
    const clock = fakeClock();
    const p = createProgress({ mode: 'auto', epochs: 1, stepsPerEpoch: 5, stream, now: clock.now, barWidth: 5 });
    expect(p.mode).toBe('bar');
    p.epochBegin(0);
    for (let i = 1; i <= 5; i++) {
      clock.advance(40);
      p.step(i, 1 / i);
    }
    // Drawn at 40 ms; 80 and 120 ms are within 100 ms of that and skipped; 160 ms is drawn; 200 ms is
    // the last step of the epoch, drawn however soon it comes.
    const fourth = '\repoch 1/1 [====>] 4/5 loss 0.2500 25.0 it/s ETA 0.0 s';
    expect(stream.out).toEqual([
      '\repoch 1/1 [=>...] 1/5 loss 1.0000 25.0 it/s ETA 0.2 s',
      fourth,
      // Shorter than the line it replaces: padded over its tail.
      '\repoch 1/1 [=====] 5/5 loss 0.2000 25.0 it/s'.padEnd(fourth.length),
    ]);
  });

  it('overwrites the bar with the epoch summary, pads shorter lines, and clears it for messages', () => {
    const stream = tty();
    const clock = fakeClock();
    const p = createProgress({ epochs: 2, stepsPerEpoch: 2, stream, now: clock.now, barWidth: 4 });
    p.epochBegin(0);
    clock.advance(1000);
    p.step(1, 3);
    const bar = stream.out[0]!;
    p.epochEnd({ epoch: 0, loss: 3, metrics: {}, seconds: 1 });
    expect(stream.out[1]).toBe(`\r${'epoch 1/2: loss 3.0000 (1.0 s)'.padEnd(bar.length - 1)}\n`);
    p.epochBegin(1);
    clock.advance(1000);
    p.step(1, 2);
    p.message('stopping');
    expect(stream.out.slice(3)).toEqual([`\r${' '.repeat(stream.out[2]!.length - 1)}`, '\rstopping\n']);
    // Nothing half-drawn is left, so close adds no empty line.
    p.close();
    expect(stream.out).toHaveLength(5);
  });

  it('ends a half-drawn bar on close', () => {
    const stream = tty();
    const p = createProgress({ epochs: 1, stream, now: () => 0 });
    p.epochBegin(0);
    p.step(1, 1);
    p.close();
    expect(stream.out.at(-1)).toBe('\n');
    p.close();
    expect(stream.out.filter((s) => s === '\n')).toHaveLength(1);
  });

  it('cuts the bar to the terminal width, but not the finished summary line', () => {
    const stream = tty(20);
    const p = createProgress({ epochs: 1, stepsPerEpoch: 4, stream, now: () => 0 });
    p.epochBegin(0);
    p.step(1, 1);
    expect(stream.out[0]).toBe('\repoch 1/1 [======>.');
    p.epochEnd({ epoch: 0, loss: 1, metrics: { val_loss: 2 }, seconds: 1 });
    expect(stream.out[1]).toBe('\repoch 1/1: loss 1.0000, val_loss 2.0000 (1.0 s)\n');
  });

  it('writes plain lines to log off a TTY, and nothing with none', () => {
    const lines: string[] = [];
    const out: string[] = [];
    const stream: TextStream = { isTTY: false, write: (s) => out.push(s) };
    const p = createProgress({ epochs: 3, stepsPerEpoch: 2, stream, log: (l) => lines.push(l) });
    expect(p.mode).toBe('lines');
    p.epochBegin(0);
    p.step(1, 1);
    p.step(2, 1);
    p.epochEnd({ epoch: 0, loss: 1, metrics: { val_accuracy: 0.5 }, seconds: 2 });
    p.message('done');
    p.close();
    expect(lines).toEqual(['epoch 1/3: loss 1.0000, val_accuracy 0.5000 (2.0 s)', 'done']);
    expect(out).toEqual([]);
    const silent = createProgress({ mode: 'none', epochs: 1, stream: tty(), log: (l) => lines.push(l) });
    silent.epochEnd({ epoch: 0, loss: 1, metrics: {}, seconds: 1 });
    silent.message('x');
    expect(lines).toHaveLength(2);
  });
});
