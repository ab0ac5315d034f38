// In the page: the minified browser bundle that `pnpm build` writes (packages/frontend/dist/bundle/
// kiln.js, no Dawn, no Node built-ins) loads as a plain ES module, without any shim, and trains
// the MLP of mlp.ts on navigator.gpu with the losses Node computed (global-setup.ts builds the
// bundle when it is missing).

import { describe, expect, inject, it } from 'vitest';
import { STEPS, maxAbsDiff, trainMlp, type Kiln } from './mlp.js';

const BUNDLE = '/packages/frontend/dist/bundle/kiln.js';
const reference = inject('mlpReference');

describe('the built browser bundle', () => {
  it('loads without Node shims and trains on navigator.gpu with Node-equal losses', async () => {
    expect(typeof (globalThis as { process?: unknown }).process).toBe('undefined');
    const lib = (await import(/* @vite-ignore */ BUNDLE)) as Kiln;
    const run = await trainMlp({}, lib);
    expect(run.backend).toBe('webgpu');
    expect(run.backendReason).toMatch(/via navigator\.gpu/);
    expect(run.losses).toHaveLength(STEPS);
    const diff = maxAbsDiff(run.losses, reference.webgpu.losses);
    console.log(`built bundle in the page vs Node WebGPU: max |loss diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });
});
