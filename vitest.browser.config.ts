// pnpm test:browser: vitest browser mode driving the system's Chromium (Debian's `chromium`, never
// a Playwright download) headless with WebGPU on (SwiftShader): the op parity suite and sin/cos
// accuracy on the page's adapter, MLP training whose losses must equal Node's, and the playground
// (apps/playground) end to end.
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { playgroundE2e } from './apps/playground/e2e/command.js';

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts', 'tests/parity/**/*.test.ts', 'packages/runtime/test/webgpu/trig-accuracy.test.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: process.env['KILN_CHROMIUM'] ?? '/usr/bin/chromium',
          // Chromium refuses its sandbox as root; the background switches keep it off the network.
          args: ['--enable-unsafe-webgpu', ...(asRoot ? ['--no-sandbox'] : []), '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
        },
      }),
      instances: [{ browser: 'chromium' }],
      // Node-side half of tests/browser/playground.test.ts: serves and drives the playground page.
      commands: { playgroundE2e },
    },
  },
});
