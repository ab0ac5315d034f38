// Global setup of pnpm test:browser (runs in Node, before the page loads): builds the browser
// bundle when `pnpm build` has not (built-bundle.test.ts loads it), computes the Node reference
// losses in a child process (Dawn must not live in vitest's own process) and provides them to the
// browser tests through inject('mlpReference').

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { MlpReference } from './mlp.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mlpReference: MlpReference;
  }
}

export default function setup(project: TestProject): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..', '..');
  if (!existsSync(join(root, 'packages', 'frontend', 'dist', 'bundle', 'kiln.js'))) {
    const b = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'build.ts')], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    if (b.status !== 0) throw new Error(`pnpm build failed (status ${b.status}): ${b.stderr.trim() || b.stdout.trim() || b.error?.message}`);
  }
  const env: Record<string, string | undefined> = { ...process.env, KILN_BACKEND: undefined };
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'mlp-reference.ts')], { cwd: join(here, '..', '..'), encoding: 'utf8', timeout: 180_000, env });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`mlp-reference.ts failed (status ${r.status}): ${r.stderr.trim() || r.stdout.trim() || r.error?.message}`);
  project.provide('mlpReference', JSON.parse(line) as MlpReference);
}
