// pnpm test:pack: builds the packages (pnpm build), packs them (pnpm pack), installs the tarballs
// into an empty project outside the repository and uses Kiln there as a user would: plain Node,
// npx kiln, a bundler, TypeScript (tests/pack/pack.test.ts). Run by .ci/run after pnpm test.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/pack/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
