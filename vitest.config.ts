// Test runner configuration: every package's unit tests plus the cross-package tests/ tree
// (tests/browser/ runs in Chromium instead: pnpm test:browser, vitest.browser.config.ts; tests/pack/
// builds, packs and installs the packages: pnpm test:pack, vitest.pack.config.ts).
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/browser/**', 'tests/pack/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests never read or write the user's tune cache (~/.cache/kiln): a tuned schedule there would
    // change which kernels the parity suites run. Tests of the tuner point KILN_TUNE_CACHE elsewhere.
    // KILN_CHECK=1: checked mode, the pass manager verifies the graph after every pass (off in
    // production, where graphs are verified once per pipeline boundary).
    env: { KILN_TUNE_CACHE: join(tmpdir(), `kiln-test-tune-${process.pid}.json`), KILN_CHECK: '1' },
  },
});
