// Example support: loss-curve SVG/PNG output and the non-TTY progress log.
import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lossCurveSvg, svgToPng, writePlot } from '../../examples/lib/plot.js';
import { createProgress } from '../../examples/lib/progress.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const series = [
  { name: 'train', values: Array.from({ length: 300 }, (_, i) => Math.exp(-i / 50) + 0.05) },
  { name: 'test', values: Array.from({ length: 300 }, (_, i) => (i === 10 ? NaN : Math.exp(-i / 60) + 0.1)) },
];

describe('plots', () => {
  it('renders an SVG with both series and a PNG with the PNG signature', async () => {
    const svg = await lossCurveSvg(series, { title: 'loss', logY: true });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('train');
    expect(svg).toContain('test');
    const png = svgToPng(svg, { width: 400 });
    expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
    // IHDR width (big-endian u32 at byte 16) honours fitTo.
    expect(new DataView(png.buffer, png.byteOffset).getUint32(16)).toBe(400);
  });

  it('writePlot picks the format from the extension', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-plot-'));
    try {
      await writePlot(join(dir, 'a', 'loss.svg'), series);
      await writePlot(join(dir, 'loss.png'), series);
      expect((await readFile(join(dir, 'a', 'loss.svg'), 'utf8')).includes('<svg')).toBe(true);
      expect(Array.from((await readFile(join(dir, 'loss.png'))).subarray(0, 8))).toEqual(PNG_SIGNATURE);
      await expect(writePlot(join(dir, 'loss.jpg'), series)).rejects.toThrow(/\.svg or \.png/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('progress without a TTY', () => {
  it('logs plain lines at most every logIntervalS, plus a final line', () => {
    const lines: string[] = [];
    let clock = 0;
    const p = createProgress({
      total: 100,
      label: 'mnist',
      logIntervalS: 5,
      now: () => clock,
      stream: { isTTY: false, write: (s: string) => (lines.push(s), true) },
    });
    clock = 1000;
    p.update(10, 2.5); // first update logs
    clock = 3000;
    p.update(30, 1.25); // within 5 s: silent
    clock = 7000;
    p.update(70, 0.5);
    clock = 8000;
    p.stop();
    expect(lines).toEqual([
      'mnist step 10/100 (10%) loss 2.5000 10.0 steps/s\n',
      'mnist step 70/100 (70%) loss 0.5000 10.0 steps/s\n',
      'mnist step 70/100 (70%) loss 0.5000 8.8 steps/s\n',
    ]);
  });
});
