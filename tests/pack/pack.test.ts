// pnpm test:pack (vitest.pack.config.ts; .ci/run runs it after pnpm test): Kiln as a user gets it.
// Builds every package (scripts/build.ts = pnpm build), packs each with `pnpm pack` (which applies
// its publishConfig: exports, imports, main, types pointing at dist/), installs the tarballs into an
// empty project in the OS temp directory, outside the repository, and uses them there with no tsx
// and nothing from the workspace: a plain Node ESM script trains an MLP (on WebGPU through the
// optional `webgpu` package, matching the CPU interpreter), `npx kiln check` verifies the IR it
// wrote, `npx kiln print` loads a model script, esbuild bundles the installed packages for the
// browser and for Node, the shipped IIFE bundle runs in a bare V8 context, and TypeScript checks a
// consumer against the shipped .d.ts. A second install, by npm and without optional dependencies,
// shows 'auto' falling back to the CPU and saying why.
//
// Third-party dependencies of the pnpm install (wgsl_reflect; webgpu, @webgpu/types, debug, ms) come
// from pnpm's store, filled by the repository's own `pnpm install` (--prefer-offline: the registry
// is asked only for what the store lacks); the npm install fetches wgsl_reflect (~100 KB) unless
// npm's cache has it. Everything runs in child processes: Dawn never loads in vitest's own process.
// KILN_PACK_KEEP=1 keeps the temp directory (its path is printed).

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_CEILING_GZIP, PACKAGES, buildAll, type BundleSize } from '../../scripts/build.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = join(ROOT, 'tests', 'pack', 'fixtures');
const VERSION = '0.1.0';
const tarballName = (p: string): string => `kiln-${p}-${VERSION}.tgz`;

/** The environment of a user's shell: none of vitest's, pnpm-run's or Kiln's own variables. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(?:VITEST|NODE_OPTIONS$|NODE_PATH$|KILN_|npm_package_|npm_lifecycle_|PNPM_SCRIPT|TSX)/.test(k)) env[k] = v;
  return env;
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(cmd: string, args: readonly string[], cwd: string, timeout = 120_000): Run {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, { cwd, env: userEnv(), encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error !== undefined) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(cmd: string, args: readonly string[], cwd: string): Run {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

function lastJsonLine(out: string): Record<string, unknown> {
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (line === undefined) throw new Error(`no JSON line in:\n${out}`);
  return JSON.parse(line) as Record<string, unknown>;
}

interface MlpResult {
  readonly backend: string;
  readonly reason: string;
  readonly losses: number[];
  readonly kernels: number | null;
  readonly checkpointRoundTrip: boolean;
}

/**
 * An empty project using the tarballs. For pnpm: @kiln/frontend and @kiln/cli, with the inner
 * @kiln/* dependencies overridden to the tarballs too (pnpm 12 reads overrides and build permissions
 * from pnpm-workspace.yaml; without them the tarballs' own "@kiln/ir": "0.1.0" would be looked up in
 * the registry). For npm: all six tarballs as dependencies, which npm then reuses for the inner ones.
 */
function makeProject(dir: string, tarballs: string, client: 'pnpm' | 'npm'): void {
  mkdirSync(dir, { recursive: true });
  const tgz = (p: string): string => `file:${join(tarballs, tarballName(p))}`;
  const direct = client === 'pnpm' ? ['frontend', 'cli'] : [...PACKAGES];
  const dependencies = Object.fromEntries(direct.map((p) => [`@kiln/${p}`, tgz(p)]));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'kiln-user', version: '1.0.0', private: true, type: 'module', dependencies }, null, 2)}\n`);
  if (client === 'pnpm') {
    const overrides = PACKAGES.filter((p) => p !== 'cli').map((p) => `  "@kiln/${p}": "${tgz(p)}"`);
    writeFileSync(join(dir, 'pnpm-workspace.yaml'), ['overrides:', ...overrides, 'allowBuilds:', '  webgpu: true', ''].join('\n'));
  }
  for (const f of ['train-mlp.mjs', 'model.mjs', 'bad.kir', 'consumer.ts']) copyFileSync(join(FIXTURES, f), join(dir, f));
}

let work = '';
let app = '';
let sizes: BundleSize[] = [];
const timings: string[] = [];

function timed<T>(label: string, f: () => T): T {
  const t0 = performance.now();
  const v = f();
  timings.push(`${label} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return v;
}

beforeAll(async () => {
  const t0 = performance.now();
  sizes = await buildAll();
  timings.push(`build ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  work = realpathSync(mkdtempSync(join(tmpdir(), 'kiln-pack-')));
  if (`${work}${sep}`.startsWith(`${realpathSync(ROOT)}${sep}`)) throw new Error(`the temp directory ${work} is inside the repository`);
  const tarballs = join(work, 'tarballs');
  timed('pack', () => {
    for (const p of PACKAGES) ok('pnpm', ['pack', '--pack-destination', tarballs], join(ROOT, 'packages', p));
  });
  app = join(work, 'app');
  makeProject(app, tarballs, 'pnpm');
  timed('install', () => ok('pnpm', ['install', '--prefer-offline', '--no-frozen-lockfile'], app));
}, 300_000);

afterAll(() => {
  console.log(`pack test: ${timings.join(', ')}${work !== '' ? ` (in ${work})` : ''}`);
  if (work !== '' && process.env['KILN_PACK_KEEP'] === undefined) rmSync(work, { recursive: true, force: true });
});

describe('packed tarballs', () => {
  it('hold dist/ and a manifest whose exports, imports and bin all point at shipped JavaScript', () => {
    for (const p of PACKAGES) {
      const tgz = join(work, 'tarballs', tarballName(p));
      const files = new Set(
        ok('tar', ['tzf', tgz], work)
          .stdout.split('\n')
          .filter((f) => f !== '')
          .map((f) => f.replace(/^package\//, '')),
      );
      const manifest = JSON.parse(ok('tar', ['xzfO', tgz, 'package/package.json'], work).stdout) as Record<string, unknown>;
      const text = JSON.stringify(manifest);
      expect(text, p).not.toMatch(/workspace:|\.\/src\//);
      expect(manifest['private'], p).toBeUndefined();
      expect(
        [...files].filter((f) => f.startsWith('test/') || f.includes('tsbuildinfo')),
        p,
      ).toEqual([]);
      const targets: string[] = [];
      const collect = (v: unknown): void => {
        if (typeof v === 'string') targets.push(v);
        else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
      };
      collect(manifest['exports']);
      collect(manifest['imports']);
      collect(manifest['bin']);
      collect(manifest['main']);
      collect(manifest['types']);
      for (const t of targets) {
        expect(files.has(t.replace(/^\.\//, '')), `${p}: ${t} is not in the tarball`).toBe(true);
        expect(t, p).toMatch(/\.(?:js|d\.ts|json)$/);
      }
      if (p === 'cli') {
        expect(manifest['bin']).toEqual({ kiln: './dist/kiln.js' });
        const kiln = ok('tar', ['tzvf', tgz, 'package/dist/kiln.js'], work).stdout;
        expect(kiln, 'dist/kiln.js is executable').toMatch(/^-rwx/);
        const map = JSON.parse(ok('tar', ['xzfO', tgz, 'package/dist/kiln.js.map'], work).stdout) as { sourcesContent?: string[] };
        expect(map.sourcesContent?.[0], 'the CLI maps carry their sources').toContain('#!/usr/bin/env node');
      } else {
        expect(files.has('dist/index.js') && files.has('dist/index.d.ts') && files.has('dist/index.js.map'), p).toBe(true);
        // Source maps (and declaration maps) name the shipped src/*.ts.
        for (const map of ['dist/index.js.map', 'dist/index.d.ts.map']) {
          const sources = (JSON.parse(ok('tar', ['xzfO', tgz, `package/${map}`], work).stdout) as { sources: string[] }).sources;
          expect(
            sources.map((f) => join('dist', f).split(sep).join('/')),
            `${p} ${map}`,
          ).toEqual(['src/index.ts']);
          expect(files.has('src/index.ts'), p).toBe(true);
        }
        const conditions = (manifest['exports'] as Record<string, Record<string, string>>)['.']!;
        expect(Object.keys(conditions), p).toEqual(['types', 'browser', 'node', 'default']);
      }
    }
  });

  it("a plain Node ESM script trains the MLP on WebGPU (Dawn), with the CPU interpreter's losses", () => {
    const gpu = lastJsonLine(timed('train webgpu', () => ok('node', ['train-mlp.mjs', 'auto', 'mlp.kir'], app)).stdout) as unknown as MlpResult;
    const cpu = lastJsonLine(timed('train cpu', () => ok('node', ['train-mlp.mjs', 'cpu', 'mlp-cpu.kir'], app)).stdout) as unknown as MlpResult;
    console.log(`installed @kiln/frontend, auto: ${gpu.backend} (${gpu.reason}); loss ${gpu.losses[0]?.toFixed(4)} → ${gpu.losses.at(-1)?.toFixed(4)}, ${gpu.kernels} kernels`);
    // 'auto' in a Node project with the optional `webgpu` installed: Dawn (llvmpipe in CI).
    expect(gpu.backend, gpu.reason).toBe('webgpu');
    expect(gpu.reason).toMatch(/^backend: 'auto': .*Dawn/);
    expect(gpu.kernels).toBeGreaterThan(0);
    expect(cpu.backend).toBe('cpu');
    expect(gpu.losses).toHaveLength(20);
    expect(gpu.losses.every(Number.isFinite)).toBe(true);
    expect(gpu.losses.at(-1)!).toBeLessThan(0.6 * gpu.losses[0]!);
    const diff = Math.max(...gpu.losses.map((l, i) => Math.abs(l - cpu.losses[i]!)));
    expect(diff).toBeLessThan(1e-4);
    // The checkpoint went through the `node` target of @kiln/frontend's #checkpoint-files import.
    expect(gpu.checkpointRoundTrip && cpu.checkpointRoundTrip).toBe(true);
  });

  it('npx kiln checks the IR the script wrote, reports a bad file by line, and prints a model script', () => {
    const good = ok('npx', ['kiln', 'check', 'mlp.kir'], app);
    expect(good.stdout).toMatch(/^mlp\.kir: ok \(@\w+: \d+ nodes, [1-9]\d* kernels\)/);
    const bad = run('npx', ['kiln', 'check', 'bad.kir'], app);
    expect(bad.status, bad.stderr).toBe(1);
    expect(bad.stderr).toMatch(/^bad\.kir:3:\d+: /m);
    const printed = ok('npx', ['kiln', 'print', '--grad', 'model.mjs'], app);
    expect(printed.stdout).toMatch(/^graph @\w+\(/);
    expect(printed.stdout).toContain('matmul');
    expect(ok('npx', ['kiln', '--help'], app).stdout).toContain('kiln check <file.kir>');
  });

  it('bundled from the installed packages: the browser build has no Dawn and no Node built-in, the Node build has both targets', async () => {
    writeFileSync(join(app, 'entry.mjs'), "export * from '@kiln/frontend';\n");
    const inputsFor = async (platform: 'browser' | 'node'): Promise<{ inputs: string[]; imports: string[] }> => {
      const r = await build({
        entryPoints: [join(app, 'entry.mjs')],
        bundle: true,
        platform,
        format: 'esm',
        write: false,
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: app,
        ...(platform === 'node' ? { external: ['webgpu'] } : {}),
      });
      const inputs = Object.keys(r.metafile.inputs);
      return { inputs, imports: Object.values(r.metafile.inputs).flatMap((i) => i.imports.map((m) => m.path)) };
    };
    const browser = await inputsFor('browser');
    // Every Kiln module comes from an installed tarball's dist/, never from the workspace sources.
    const kilnDist = /node_modules[\\/]\.pnpm[\\/]@kiln\+[^\\/]+[\\/]node_modules[\\/]@kiln[\\/][^\\/]+[\\/]dist[\\/].*\.js$/;
    const thirdParty = /node_modules[\\/]\.pnpm[\\/]wgsl_reflect@/;
    expect(browser.inputs.filter((p) => p !== 'entry.mjs' && !kilnDist.test(p) && !thirdParty.test(p))).toEqual([]);
    expect(browser.imports.filter((p) => p.startsWith('node:') || p === 'webgpu')).toEqual([]);
    expect(browser.inputs.filter((p) => /dawn-device|native-log|node-files/.test(p))).toEqual([]);
    expect(browser.inputs.some((p) => p.endsWith('dawn-absent.js')) && browser.inputs.some((p) => p.endsWith('no-files.js'))).toBe(true);
    const node = await inputsFor('node');
    expect(node.inputs.some((p) => p.endsWith('dawn-device.js')) && node.inputs.some((p) => p.endsWith('node-files.js'))).toBe(true);
  });

  it('the shipped IIFE bundle runs in a bare V8 context (no process, require or navigator) and is within the size target', async () => {
    const iife = readFileSync(join(app, 'node_modules', '@kiln', 'frontend', 'dist', 'bundle', 'kiln.iife.js'), 'utf8');
    const context = createContext({ console: { log: () => {}, warn: () => {} }, performance, TextEncoder, TextDecoder });
    runInContext(iife, context, { filename: 'http://example.test/kiln.iife.js' });
    const result = (await runInContext(
      'kiln.compile(kiln.trace(({ x }) => x.exp(), { x: kiln.f32([2]) })).then((s) => s.run({ x: [0, 1] })).then((r) => JSON.stringify(Array.from(r.out)))',
      context,
    )) as string;
    expect(result).toBe(JSON.stringify([1, Math.fround(Math.E)]));
    // The ESM bundle is the package's `./bundle` export.
    const esm = ok('node', ['--input-type=module', '-e', "import * as k from '@kiln/frontend/bundle'; console.log(typeof k.jit, typeof k.nn.Linear)"], app);
    expect(esm.stdout.trim()).toBe('function function');
    for (const s of sizes) {
      console.log(`${s.file}: ${s.bytes} bytes minified, ${s.gzipBytes} gzipped`);
      // Over the 100 KB target since 2026-12-03 (see BUNDLE_CEILING_GZIP): no further growth.
      expect(s.gzipBytes, s.file).toBeLessThanOrEqual(BUNDLE_CEILING_GZIP);
    }
    expect(sizes.map((s) => s.format)).toEqual(['esm', 'iife']);
  });

  it('TypeScript checks a consumer against the shipped .d.ts (skipLibCheck off)', () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['consumer.ts'] }, null, 2)}\n`,
    );
    const tsc = run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], app);
    expect(tsc.stdout.split('\n').slice(0, 20).join('\n'), 'tsc errors').toBe('');
    expect(tsc.status).toBe(0);
  });

  it("installed by npm without optional dependencies (no Dawn): 'auto' uses the CPU and says why, npx kiln works", () => {
    const bare = join(work, 'app-npm');
    makeProject(bare, join(work, 'tarballs'), 'npm');
    timed('npm install --omit=optional', () => ok('npm', ['install', '--omit=optional', '--prefer-offline', '--no-audit', '--no-fund'], bare));
    const r = lastJsonLine(ok('node', ['train-mlp.mjs', 'auto', 'mlp.kir'], bare).stdout) as unknown as MlpResult;
    expect(r.backend).toBe('cpu');
    expect(r.reason).toContain("the 'webgpu' package (Dawn for Node, an optional dependency) is not installed; using the CPU interpreter");
    expect(r.losses.at(-1)!).toBeLessThan(0.6 * r.losses[0]!);
    expect(r.checkpointRoundTrip).toBe(true);
    expect(ok('npx', ['kiln', 'check', 'mlp.kir'], bare).stdout).toMatch(/^mlp\.kir: ok /);
  });
});
