// Node side of the playground end-to-end test tests/browser/playground.test.ts (a vitest browser
// command, registered in vitest.browser.config.ts): starts `pnpm web`'s server (apps/playground/server/serve.ts) on a free
// port, opens the playground in a new page of the Chromium that vitest drives (same flags, WebGPU
// on SwiftShader), trains the default model (the MLP) for `steps` steps through the page's own
// controls, reads what the page shows, and saves full-page and loss-plot screenshots under out/.
// The browser side checks the result and decodes the screenshots.

import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {} from '@vitest/browser-playwright';
import type { BrowserCommand } from 'vitest/node';
import { startPlayground } from '../server/serve.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const PLAYGROUND_OUT = join(ROOT, 'out', 'playground');

export interface PlaygroundRun {
  readonly url: string;
  readonly state: string;
  readonly status: string;
  readonly device: string;
  readonly pageErrors: readonly string[];
  /** Requests to anywhere but the playground's own server (it must work offline). */
  readonly foreignRequests: readonly string[];
  readonly losses: readonly number[];
  readonly accuracy: readonly (readonly [number, number])[];
  readonly irText: string;
  readonly passButtons: readonly string[];
  /** The IR picture (Graphviz SVG) after a click on the fuse pass: its pass, clusters (kernel calls) and nodes. */
  readonly fusePicture: { readonly pass: string; readonly state: string; readonly svgs: number; readonly clusters: number; readonly nodes: number };
  readonly wgslText: string;
  readonly kernelRows: number;
  readonly timedKernels: number;
  readonly timingNote: string;
  readonly memoryBlocks: number;
  readonly specializations: readonly string[];
  /** After a vertical stroke drawn on the pad: the predicted digit and the probabilities shown. */
  readonly drawnPrediction: string;
  readonly predictionBars: number;
  /** Screenshot paths, relative to vitest's root (what the readFile command resolves them against). */
  readonly screenshot: string;
  readonly plotScreenshot: string;
  readonly ms: { readonly build: number; readonly load: number; readonly train: number; readonly picture: number; readonly total: number };
}

type State = { losses: number[]; accuracy: [number, number][] };

export const playgroundE2e: BrowserCommand<[{ readonly steps: number }]> = async (ctx, { steps }) => {
  const t0 = Date.now();
  const server = await startPlayground({ port: 0 });
  const built = Date.now();
  const page = await ctx.context.newPage();
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(`console: ${m.text()}`);
  });
  try {
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.goto(server.url);
    // A wait that runs out says where the page stood (its status line), not only that it timed out.
    const stateIs = (states: readonly string[], timeout: number) =>
      page
        .waitForFunction((s) => s.includes(document.getElementById('status')?.dataset['state'] ?? ''), states, { timeout, polling: 100 })
        .catch(async (e: unknown) => {
          const status = await page
            .locator('#status')
            .textContent({ timeout: 1000 })
            .catch(() => '(unreadable)');
          throw new Error(
            `the page did not reach ${states.join('/')} within ${timeout} ms; status: ${status ?? ''}; page errors: ${pageErrors.join(' | ') || 'none'} (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`,
          );
        });
    await stateIs(['ready', 'error'], 60_000);
    const loaded = Date.now();
    await page.fill('#steps', String(steps));
    await page.click('#train');
    await stateIs(['done', 'error'], 150_000);
    const trained = Date.now();
    // Draw a "1" on the pad with the mouse: the page classifies it with the trained model.
    const pad = await page.locator('#pad').boundingBox();
    if (pad === null) throw new Error('the drawing pad is not visible');
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * 0.15);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++) await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height * (0.15 + (0.7 * i) / 12));
    await page.mouse.up();
    await page.waitForFunction(() => /^\d$/.test(document.getElementById('prediction')?.dataset['best'] ?? ''), null, { timeout: 30_000, polling: 100 });
    const read = (sel: string) =>
      page
        .locator(sel)
        .textContent()
        .then((t) => t ?? '');
    const irText = await read('#ir');
    const passButtons = await page.locator('#passes button').allTextContents();
    // The picture of the IR after fuse (Graphviz loads on the first picture, drawn since compiling).
    const pictured = Date.now();
    await page
      .locator('#passes button', { hasText: /\bfuse$/ })
      .first()
      .click();
    await page.waitForFunction(
      () => {
        const g = document.getElementById('ir-graph');
        return g !== null && /fuse$/.test(g.dataset['pass'] ?? '') && (g.dataset['state'] === 'done' || g.dataset['state'] === 'error');
      },
      null,
      { timeout: 30_000, polling: 100 },
    );
    const fusePicture = {
      pass: (await page.getAttribute('#ir-graph', 'data-pass')) ?? '',
      state: (await page.getAttribute('#ir-graph', 'data-state')) ?? '',
      svgs: await page.locator('#ir-graph > svg').count(),
      clusters: await page.locator('#ir-graph svg g.cluster').count(),
      nodes: await page.locator('#ir-graph svg g.node').count(),
    };
    const pictureMs = Date.now() - pictured;
    const state = (await page.getAttribute('#status', 'data-state')) ?? '';
    const { losses, accuracy } = await page.evaluate(() => {
      const p = (globalThis as unknown as { kilnPlayground: State }).kilnPlayground;
      return { losses: [...p.losses], accuracy: p.accuracy.map((a) => [a[0], a[1]] as [number, number]) };
    });
    const timedKernels = await page
      .locator('#kernels tbody tr')
      .evaluateAll((rows) => rows.filter((r) => /^\d+$/.test(r.children[0]?.textContent ?? '') && /^\d+$/.test(r.children[5]?.textContent ?? '')).length);
    mkdirSync(PLAYGROUND_OUT, { recursive: true });
    const shot = join(PLAYGROUND_OUT, 'playground-e2e.png');
    const plotShot = join(PLAYGROUND_OUT, 'loss-plot.png');
    await page.screenshot({ path: shot, fullPage: true });
    await page.locator('#loss-plot').screenshot({ path: plotShot });
    const root = ctx.project.config.root;
    return {
      url: server.url,
      state,
      status: await read('#status'),
      device: await read('#device'),
      pageErrors,
      foreignRequests,
      losses,
      accuracy,
      irText,
      passButtons,
      fusePicture,
      wgslText: await read('#wgsl'),
      kernelRows: await page.locator('#kernels tbody tr').count(),
      timedKernels,
      timingNote: await read('#timing-note'),
      memoryBlocks: await page.locator('#memory svg rect[data-value]').count(),
      specializations: await page.locator('#spec option').allTextContents(),
      drawnPrediction: (await page.getAttribute('#prediction', 'data-best')) ?? '',
      predictionBars: await page.locator('#prediction .bar').count(),
      screenshot: relative(root, shot),
      plotScreenshot: relative(root, plotShot),
      ms: { build: built - t0, load: loaded - built, train: trained - loaded, picture: pictureMs, total: Date.now() - t0 },
    } satisfies PlaygroundRun;
  } finally {
    await page.close();
    await server.close();
  }
};
