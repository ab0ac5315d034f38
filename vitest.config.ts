// Test runner configuration: every package's unit tests plus the cross-package tests/ tree
// (tests/browser/ runs in Chromium instead: pnpm test:browser, vitest.browser.config.ts; tests/pack/
// builds, packs and installs the packages: pnpm test:pack, vitest.pack.config.ts).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/browser/**', 'tests/pack/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
