// docs/guide.md and README.md are executable: every ```ts block not marked `<!-- not run -->` on the
// line before it is written to its own file under .cache/ (inside the repo, so `@kiln/frontend`
// resolves), type-checked with tsc, and run as a script with tsx in a child process with
// KILN_BACKEND=cpu. A block that fails to compile, throws or exits non-zero fails its test, named
// by the block's file, heading and line; stack traces and tsc errors point at lines of that file.
// KEEP_GUIDE_BLOCKS=1 keeps the generated files (the path is printed).

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTsBlocks, type CodeBlock } from './guide-blocks.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The documents whose code must run, by index (block files are named block-<doc>-<line>.ts). */
const DOCS = ['docs/guide.md', 'README.md'] as const;
interface DocBlock extends CodeBlock {
  readonly doc: number;
}
const blocks: DocBlock[] = DOCS.flatMap((d, doc) => extractTsBlocks(readFileSync(join(root, d), 'utf8')).map((b) => ({ ...b, doc })));
const runnable = blocks.filter((b) => !b.skip);

/** Blocks run at once (each is a CPU-bound process; CI has 2 cores). */
const PARALLEL = 2;
const BLOCK_TIMEOUT_MS = 60_000;

interface Outcome {
  readonly code: number | null;
  readonly signal: string | null;
  readonly output: string;
  readonly ms: number;
}

const fileOf = (b: DocBlock): string => `block-${b.doc}-${b.line}.ts`;

/** Rewrites `block-<D>-<L>.ts:<n>` (stack traces) and `block-<D>-<L>.ts(<n>,<c>)` (tsc) to document lines. */
function toGuideLines(text: string, dir: string): string {
  return text
    .split(dir + '/')
    .join('')
    .replace(/(?:file:\/\/)?block-(\d+)-(\d+)\.ts(?::(\d+)(?::(\d+))?|\((\d+),(\d+)\))/g, (_m, doc: string, start: string, l1?: string, c1?: string, l2?: string, c2?: string) => {
      const name = DOCS[Number(doc)] ?? '?';
      const line = l1 ?? l2;
      const col = c1 ?? c2;
      return line === undefined ? `${name} (block at line ${start})` : `${name}:${Number(start) + Number(line)}${col !== undefined ? `:${col}` : ''}`;
    });
}

function run(file: string, args: readonly string[], dir: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const t0 = performance.now();
  return new Promise((done) => {
    execFile(file, args, { cwd: dir, env, timeout: BLOCK_TIMEOUT_MS, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: string }) | null;
      done({
        code: e === null ? 0 : typeof e.code === 'number' ? e.code : 1,
        signal: e?.signal ?? null,
        output: `${stdout}${stderr}`,
        ms: performance.now() - t0,
      });
    });
  });
}

/** Runs `tasks` with at most `limit` in flight; each result promise settles as its task ends. */
function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T>[] {
  const gates = tasks.map(() => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    return { gate, open };
  });
  let next = 0;
  const startNext = (): void => {
    if (next < gates.length) gates[next++]!.open();
  };
  for (let i = 0; i < limit; i++) startNext();
  return tasks.map((task, i) => gates[i]!.gate.then(task).finally(startNext));
}

function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split('\n');
  return (all.length > lines ? ['…', ...all.slice(-lines)] : all).join('\n');
}

describe('docs/guide.md and README.md', () => {
  let dir = '';
  let typecheck: Promise<Outcome>;
  const results = new Map<DocBlock, Promise<Outcome>>();

  beforeAll(() => {
    mkdirSync(join(root, '.cache'), { recursive: true });
    dir = mkdtempSync(join(root, '.cache', 'guide-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { composite: false, declaration: false, noEmit: true, types: ['node', '@webgpu/types'] },
        // The packages are checked from source (their exports point at src/); their ambient
        // declarations (e.g. for untyped dependencies) are not imported, so list them.
        include: ['block-*.ts', '../../packages/*/src/**/*.d.ts'],
      }),
    );
    for (const b of runnable) writeFileSync(join(dir, fileOf(b)), `${b.code}\n`);
    // TMPDIR: what the blocks write under os.tmpdir() is removed with the rest.
    mkdirSync(join(dir, 'tmp'));
    const env = { ...process.env, KILN_BACKEND: 'cpu', FORCE_COLOR: '0', NO_COLOR: '1', TMPDIR: join(dir, 'tmp') };
    const tasks: (() => Promise<Outcome>)[] = [
      () => run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], dir, env),
      ...runnable.map((b) => () => run(process.execPath, ['--import', 'tsx', fileOf(b)], dir, env)),
    ];
    const [tc, ...outs] = pool(tasks, PARALLEL);
    typecheck = tc!;
    runnable.forEach((b, i) => results.set(b, outs[i]!));
  });

  afterAll(async () => {
    await Promise.allSettled([typecheck, ...results.values()]);
    if (process.env['KEEP_GUIDE_BLOCKS'] === '1') console.log(`guide blocks kept in ${dir}`);
    else if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('has runnable TypeScript blocks', () => {
    expect(runnable.length).toBeGreaterThan(5);
  });

  it('extracts blocks with their heading and line, honouring <!-- not run -->', () => {
    const md = ['# A', '```ts', 'one();', '```', '## B', '<!-- not run -->', '```ts', 'two();', '```', '```sh', '# not a heading', '```', '```typescript', 'three();', '```'].join('\n');
    expect(extractTsBlocks(md)).toEqual([
      { line: 2, heading: 'A', code: 'one();', skip: false },
      { line: 7, heading: 'B', code: 'two();', skip: true },
      { line: 13, heading: 'B', code: 'three();', skip: false },
    ]);
  });

  it('type-checks every runnable block', async () => {
    const r = await typecheck;
    if (r.code === 0) return;
    // Errors inside packages/ are `pnpm typecheck`'s to report; here only the guide's count.
    const errors = r.output.split('\n').filter((l) => /error TS\d+/.test(l));
    if (errors.length === 0) expect.fail(`tsc did not run (exit ${r.code}):\n${tail(r.output)}`);
    const mine = r.output.split(/\n(?=\S)/).filter((e) => /^(?:.*\/)?block-\d+-\d+\.ts\(/.test(e));
    if (mine.length > 0) expect.fail(`tsc found errors in document blocks:\n${toGuideLines(mine.join('\n'), dir)}`);
  }, 180_000);

  for (const b of runnable) {
    it(`runs the block at ${DOCS[b.doc]}:${b.line} (${b.heading})`, async () => {
      const r = await results.get(b)!;
      if (r.code !== 0 || r.signal !== null) {
        const why = r.signal !== null ? `was killed (${r.signal}${r.signal === 'SIGTERM' ? `, over ${BLOCK_TIMEOUT_MS / 1000} s?` : ''})` : `exited with code ${r.code}`;
        expect.fail(`the block at ${DOCS[b.doc]}:${b.line} under "${b.heading}" ${why} after ${(r.ms / 1000).toFixed(1)} s:\n${toGuideLines(tail(r.output), dir)}`);
      }
    }, 180_000);
  }
});
