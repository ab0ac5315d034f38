// The playground end to end, in the Chromium of pnpm test:browser: `pnpm web`'s server starts; the
// page loads (asking nothing of any other origin) on its own WebGPU device, trains the MLP 50 steps
// through its controls with the loss falling, fills its IR and WGSL panes (with kernel times, a
// memory plan, and the IR picture after fuse with a cluster per kernel) and classifies a digit
// drawn with the mouse; the screenshots it saved under out/playground/ are decoded here and are
// not blank.

import { commands } from 'vitest/browser';
import { describe, expect, it } from 'vitest';

/** What the Node side (apps/playground/e2e/command.ts, a browser command) read from the page. */
interface PlaygroundRun {
  readonly url: string;
  readonly state: string;
  readonly status: string;
  readonly device: string;
  readonly pageErrors: readonly string[];
  readonly foreignRequests: readonly string[];
  readonly losses: readonly number[];
  readonly accuracy: readonly (readonly [number, number])[];
  readonly irText: string;
  readonly passButtons: readonly string[];
  readonly fusePicture: { readonly pass: string; readonly state: string; readonly svgs: number; readonly clusters: number; readonly nodes: number };
  readonly wgslText: string;
  readonly kernelRows: number;
  readonly timedKernels: number;
  readonly timingNote: string;
  readonly memoryBlocks: number;
  readonly specializations: readonly string[];
  readonly drawnPrediction: string;
  readonly predictionBars: number;
  readonly screenshot: string;
  readonly plotScreenshot: string;
  readonly ms: { readonly build: number; readonly load: number; readonly train: number; readonly picture: number; readonly total: number };
}

declare module 'vitest/browser' {
  interface BrowserCommands {
    playgroundE2e: (opts: { readonly steps: number }) => Promise<PlaygroundRun>;
  }
}

const STEPS = 50;

/** The DOM pieces used here (this project's tsconfig has no DOM library). */
interface Dom {
  createImageBitmap(image: Blob): Promise<{ readonly width: number; readonly height: number }>;
  OffscreenCanvas: new (
    width: number,
    height: number,
  ) => {
    getContext(
      kind: '2d',
    ): { drawImage(image: unknown, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { readonly data: Uint8ClampedArray } } | null;
  };
}
const dom = globalThis as unknown as Dom;

/** Mean and standard deviation of the luminance of a PNG's pixels, decoded by this browser. */
async function pixelStats(base64: string): Promise<{ width: number; height: number; mean: number; std: number; distinct: number }> {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await dom.createImageBitmap(new Blob([bytes], { type: 'image/png' }));
  const canvas = new dom.OffscreenCanvas(bitmap.width, bitmap.height);
  const g = canvas.getContext('2d')!;
  g.drawImage(bitmap, 0, 0);
  const { data } = g.getImageData(0, 0, bitmap.width, bitmap.height);
  let sum = 0;
  let sq = 0;
  const colors = new Set<number>();
  const n = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const y = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
    sum += y;
    sq += y * y;
    if (colors.size < 4096) colors.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  }
  const mean = sum / n;
  return { width: bitmap.width, height: bitmap.height, mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), distinct: colors.size };
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('playground end to end', () => {
  it(`loads, trains ${STEPS} steps with the loss falling, fills the IR and WGSL panes, classifies a drawn digit, and saves a non-blank screenshot`, { timeout: 300_000 }, async () => {
    const run = await commands.playgroundE2e({ steps: STEPS });
    console.log(
      `playground ${run.url}: build ${run.ms.build} ms, load ${run.ms.load} ms, ${STEPS} steps ${run.ms.train} ms, total ${run.ms.total} ms\n  ${run.device}\n  ${run.status}`,
    );
    expect(run.pageErrors).toEqual([]);
    expect(run.foreignRequests).toEqual([]);
    expect(run.state, run.status).toBe('done');

    expect(run.losses).toHaveLength(STEPS);
    expect(run.losses.every(Number.isFinite)).toBe(true);
    const first = mean(run.losses.slice(0, 5));
    const last = mean(run.losses.slice(-5));
    console.log(`  loss: first 5 steps ${first.toFixed(4)}, last 5 ${last.toFixed(4)}; test accuracy ${run.accuracy.map(([s, a]) => `${(a * 100).toFixed(1)}% @${s}`).join(', ')}`);
    expect(last).toBeLessThan(0.5 * first);
    expect(run.accuracy.at(-1)?.[0]).toBe(STEPS);
    expect(run.accuracy.at(-1)![1]).toBeGreaterThan(0.5);

    // IR after each pass: the traced graph plus every pass of the pipeline, the final one shown.
    expect(run.passButtons[0]).toBe('traced');
    expect(run.passButtons.some((b) => b.endsWith('fuse'))).toBe(true);
    expect(run.passButtons.at(-1)).toMatch(/plan-memory$/);
    expect(run.irText).toMatch(/kernel @fused/);
    expect(run.irText.split('\n').length).toBeGreaterThan(10);
    // Beside it the picture kiln dump --svg draws (Graphviz in the page): after fuse, kernels are clusters.
    console.log(`  IR picture after ${run.fusePicture.pass}: ${run.fusePicture.clusters} kernel clusters, ${run.fusePicture.nodes} nodes (${run.ms.picture} ms)`);
    expect(run.fusePicture).toMatchObject({ state: 'done', svgs: 1 });
    expect(run.fusePicture.pass).toMatch(/fuse$/);
    expect(run.fusePicture.clusters).toBeGreaterThan(0);
    expect(run.fusePicture.nodes).toBeGreaterThan(run.fusePicture.clusters);
    // The kernel list with WGSL and a time for every kernel; the memory plan picture.
    expect(run.wgslText).toMatch(/@compute @workgroup_size\(/);
    expect(run.wgslText).toMatch(/fn main|@group\(0\) @binding\(0\)/);
    expect(run.kernelRows).toBeGreaterThan(3);
    expect(run.timedKernels).toBe(run.kernelRows - 1);
    expect(run.timingNote).toMatch(/^(timestamp-query|wall clock):/);
    expect(run.memoryBlocks).toBeGreaterThan(0);
    expect(run.specializations[0]).toMatch(/^training step @mlp_train \(x: f32\[64,784\], y: i32\[64\]\)$/);
    // A digit drawn on the pad is classified (a batch-1 specialization of the prediction function).
    expect(run.drawnPrediction).toMatch(/^\d$/);
    expect(run.predictionBars).toBe(10);
    expect(run.specializations).toContain('prediction @mlp_predict (x: f32[1,784])');
    console.log(`  a vertical stroke drawn on the pad is classified as ${run.drawnPrediction}`);

    const page = await pixelStats(await commands.readFile(run.screenshot, 'base64'));
    const plot = await pixelStats(await commands.readFile(run.plotScreenshot, 'base64'));
    console.log(
      `  screenshot ${run.screenshot}: ${page.width}×${page.height}, luminance ${page.mean.toFixed(1)} ± ${page.std.toFixed(1)}, ${page.distinct}${page.distinct >= 4096 ? '+' : ''} colours; loss plot ± ${plot.std.toFixed(1)}, ${plot.distinct} colours`,
    );
    expect(page.width).toBeGreaterThanOrEqual(1280);
    expect(page.std).toBeGreaterThan(20);
    expect(page.distinct).toBeGreaterThan(64);
    expect(plot.std).toBeGreaterThan(5);
    expect(plot.distinct).toBeGreaterThan(8);
  });
});
