// Global setup of pnpm test:browser (runs in Node, before the page loads): computes the Node
// reference losses in a child process (Dawn must not live in vitest's own process) and provides
// them to the browser tests through inject('mlpReference').

import { spawnSync } from 'node:child_process';
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
  const env: Record<string, string | undefined> = { ...process.env, KILN_BACKEND: undefined };
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'mlp-reference.ts')], { cwd: join(here, '..', '..'), encoding: 'utf8', timeout: 180_000, env });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`mlp-reference.ts failed (status ${r.status}): ${r.stderr.trim() || r.stdout.trim() || r.error?.message}`);
  project.provide('mlpReference', JSON.parse(line) as MlpReference);
}
