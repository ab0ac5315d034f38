// Builds the playground into apps/playground/dist: the page (index.html, style.css), the bundle of
// src/main.ts with Kiln's real compiler inside (esbuild, platform browser: no Node built-in, no
// Dawn), and the MNIST subset asset. Everything the page loads comes from this folder.

import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { mnistSubset } from './mnist-asset.js';

export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(APP_DIR, 'dist');
export const TRAIN_IMAGES = 2000;
export const TEST_IMAGES = 500;
export const DATA_FILE = 'mnist-subset.bin';
/** Graphviz (@viz-js/viz) for the IR pictures: its own bundle, which app.js imports when it first draws one. */
export const GRAPHVIZ_FILE = 'graphviz.js';

/** app.js leaves `import('./graphviz.js')` as it is: the page fetches that bundle when needed. */
const graphvizExternal: Plugin = {
  name: 'graphviz-external',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^\\./${GRAPHVIZ_FILE.replace('.', '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
  },
};

export interface BuildReport {
  readonly dir: string;
  readonly bundleBytes: number;
  readonly bundleGzipBytes: number;
  /** dist/graphviz.js, loaded only once an IR picture is drawn. */
  readonly graphvizBytes: number;
  readonly graphvizGzipBytes: number;
  readonly dataBytes: number;
  readonly ms: number;
}

export async function buildPlayground(opts: { readonly minify?: boolean } = {}): Promise<BuildReport> {
  const t0 = performance.now();
  mkdirSync(DIST_DIR, { recursive: true });
  const common: BuildOptions = {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    minify: opts.minify ?? false,
    logLevel: 'silent',
    metafile: true,
    absWorkingDir: APP_DIR,
  };
  const [result, graphviz] = await Promise.all([
    build({ ...common, entryPoints: [join(APP_DIR, 'src', 'main.ts')], outfile: join(DIST_DIR, 'app.js'), plugins: [graphvizExternal] }),
    // src/graphviz.ts (the IR pictures: parser, graphToDot, Graphviz); its sourcemap would be megabytes of wasm glue.
    build({ ...common, entryPoints: [join(APP_DIR, 'src', 'graphviz.ts')], outfile: join(DIST_DIR, GRAPHVIZ_FILE), sourcemap: false }),
  ]);
  for (const w of graphviz.warnings) result.warnings.push(w);
  if (result.warnings.length > 0) console.warn(result.warnings.map((w) => `esbuild: ${w.text}`).join('\n'));
  const nodeOnly = [result, graphviz]
    .flatMap((r) => Object.values(r.metafile!.inputs))
    .flatMap((i) => i.imports.map((m) => m.path))
    .filter((p) => p.startsWith('node:'));
  if (nodeOnly.length > 0) throw new Error(`the playground bundle imports Node built-ins: ${[...new Set(nodeOnly)].join(', ')}`);
  for (const f of ['index.html', 'style.css']) copyFileSync(join(APP_DIR, f), join(DIST_DIR, f));
  const dataPath = join(DIST_DIR, DATA_FILE);
  const expected = 20 + (TRAIN_IMAGES + TEST_IMAGES) * 785;
  if (!existsSync(dataPath) || statSync(dataPath).size !== expected) writeFileSync(dataPath, mnistSubset(TRAIN_IMAGES, TEST_IMAGES));
  const bundle = readFileSync(join(DIST_DIR, 'app.js'));
  const viz = readFileSync(join(DIST_DIR, GRAPHVIZ_FILE));
  return {
    dir: DIST_DIR,
    bundleBytes: bundle.length,
    bundleGzipBytes: gzipSync(bundle).length,
    graphvizBytes: viz.length,
    graphvizGzipBytes: gzipSync(viz).length,
    dataBytes: statSync(dataPath).size,
    ms: performance.now() - t0,
  };
}
