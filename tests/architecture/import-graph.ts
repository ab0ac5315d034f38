// The import graph of Kiln's TypeScript sources, read from the files themselves (static `import`,
// `export ... from` and `import('...')`), for the layering test: which file imports which file,
// and which package imports which package.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export interface SourceFile {
  /** Path relative to the repository root, with `/` separators. */
  readonly path: string;
  /** The package (`ir`, `passes`, ...) or top-level tree (`bin`, `apps/playground`) it belongs to. */
  readonly unit: string;
  /** Repository-relative paths of the source files it imports (type-only imports included). */
  readonly imports: readonly string[];
  /** The subset of `imports` that stays in the JavaScript (not `import type`): what runs at load. */
  readonly valueImports: readonly string[];
  /** `@kiln/*` packages it imports by name, e.g. `passes` for `@kiln/passes`. */
  readonly packages: readonly string[];
}

// Every import: `import|export <clause> from '...'` (also across lines; group 1 is the clause), a
// bare side-effect `import '...'` and dynamic `import('...')` (group 2). Comments are removed first.
const IMPORT = /\b(?:import|export)\s+([^'"`;]*?)\s*from\s*['"]([^'"]+)['"]|\bimport\s*\(?\s*['"]([^'"]+)['"]/g;

/** `type X`, `{ type A, type B }`: erased by TypeScript, so no load-time dependency. */
function typeOnly(clause: string): boolean {
  if (/^type\s/.test(clause)) return true;
  const named = /^\{([^}]*)\}$/.exec(clause.trim());
  if (named === null) return false;
  const items = named[1]!
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  return items.length > 0 && items.every((x) => x.startsWith('type '));
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listTs(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** `./x.js` written in TypeScript sources names `./x.ts` (or `./x/index.ts`). */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const c of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) if (existsSync(c)) return c;
  return undefined;
}

/** The source files of `units` (name -> directory under `root`), with their imports. */
export function readImportGraph(root: string, units: Readonly<Record<string, string>>): SourceFile[] {
  const files: SourceFile[] = [];
  for (const [unit, dir] of Object.entries(units)) {
    for (const file of listTs(join(root, dir))) {
      const imports: string[] = [];
      const valueImports: string[] = [];
      const packages = new Set<string>();
      for (const m of stripComments(readFileSync(file, 'utf8')).matchAll(IMPORT)) {
        const spec = m[2] ?? m[3];
        if (spec === undefined) continue;
        if (spec.startsWith('.')) {
          const target = resolveRelative(file, spec);
          if (target === undefined) throw new Error(`${relative(root, file)}: cannot resolve import '${spec}'`);
          const path = relative(root, target).split('\\').join('/');
          imports.push(path);
          if (m[1] === undefined || !typeOnly(m[1])) valueImports.push(path);
        } else if (spec.startsWith('@kiln/')) {
          packages.add(spec.slice('@kiln/'.length).split('/')[0]!);
        }
      }
      files.push({ path: relative(root, file).split('\\').join('/'), unit, imports, valueImports, packages: [...packages] });
    }
  }
  return files;
}

/**
 * Import cycles among `files` (strongly connected components of more than one file, or a
 * self-import), each sorted; over value imports only, or over all imports with `types`.
 */
export function importCycles(files: readonly SourceFile[], types = false): string[][] {
  const edges = new Map(files.map((f) => [f.path, types ? f.imports : f.valueImports] as const));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  // Tarjan's algorithm, iterative so deep import chains cannot overflow the stack.
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const succ = edges.get(top.node) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++]!;
        if (!edges.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== top.node);
        if (scc.length > 1 || (edges.get(top.node) ?? []).includes(top.node)) cycles.push(scc.sort());
      }
    }
  }
  return cycles;
}
