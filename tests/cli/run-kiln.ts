// Test helper for tests/cli: runs the `kiln` command as a user would (tsx bin/kiln.ts from the repo
// root), with KILN_BACKEND cleared so the default backend is what is under test.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(root, 'tests', 'cli', 'fixtures');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

export interface KilnRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runKiln(args: readonly string[], env: Readonly<Record<string, string>> = {}): KilnRun {
  const base: Record<string, string | undefined> = { ...process.env };
  delete base['KILN_BACKEND'];
  const r = spawnSync(tsx, [join(root, 'bin', 'kiln.ts'), ...args], { cwd: root, encoding: 'utf8', env: { ...base, ...env } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
