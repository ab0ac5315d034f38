// Copies the packages' sources to a scratch directory, adds one op to the copied registry (a
// binary elementwise `dummy` with no other fact anywhere) and typechecks the copy with tsc, to
// show which per-op tables the typechecker makes every new op fill in.

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGES = ['ir', 'passes', 'codegen-wgsl', 'runtime', 'frontend', 'fuzz'];
/** Where the dummy op goes: the elementwise registry entries, next to `add`. */
const REGISTRY_FILE = 'packages/ir/src/ops/elementwise.ts';
const ANCHOR = "  add: binary('numeric', 'same', (a, b) => a + b, 'a + b.'),";
const DUMMY = "  dummy: binary('numeric', 'same', (a, b) => a - b, 'A new op with nothing but its registry entry.'),";

export interface TscRun {
  /** The files (repository-relative) with errors, each with its error lines. */
  readonly errors: ReadonlyMap<string, readonly string[]>;
  readonly status: number | null;
}

/** Typechecks a copy of the sources under `root`/.cache with the dummy op added (`addDummy`) or not. */
export function typecheckWithDummyOp(root: string, addDummy: boolean): TscRun {
  mkdirSync(join(root, '.cache'), { recursive: true });
  // Inside the repository, so package resolution walks up to its node_modules.
  const dir = mkdtempSync(join(root, '.cache', 'missing-fact-'));
  try {
    for (const p of PACKAGES) {
      cpSync(join(root, 'packages', p, 'src'), join(dir, 'packages', p, 'src'), { recursive: true });
      cpSync(join(root, 'packages', p, 'package.json'), join(dir, 'packages', p, 'package.json'));
      // Each package's own dependencies (wgsl_reflect for codegen); @kiln/* resolve to the copies via `paths`.
      const deps = join(root, 'packages', p, 'node_modules');
      if (existsSync(deps)) symlinkSync(deps, join(dir, 'packages', p, 'node_modules'), 'dir');
    }
    if (addDummy) {
      const file = join(dir, REGISTRY_FILE);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(ANCHOR)) throw new Error(`${REGISTRY_FILE}: the line to insert the dummy op after has changed`);
      writeFileSync(file, text.replace(ANCHOR, `${ANCHOR}\n${DUMMY}`));
    }
    const tsconfig = {
      extends: join(root, 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: true,
        composite: false,
        declaration: false,
        rootDir: '.',
        types: ['node', '@webgpu/types'],
        paths: Object.fromEntries(PACKAGES.map((p) => [`@kiln/${p}`, [`./packages/${p}/src/index.ts`]])),
      },
      include: ['packages/*/src/**/*.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', dir, '--pretty', 'false'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const errors = new Map<string, string[]>();
    for (const line of `${r.stdout}`.split('\n')) {
      const m = /^(packages\/[^(]+)\(\d+,\d+\): error (TS\d+: .*)$/.exec(line.trim());
      if (m !== null) errors.set(m[1]!, [...(errors.get(m[1]!) ?? []), m[2]!]);
    }
    return { errors, status: r.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
