// Builds the playground into apps/playground/dist: the page (index.html, style.css), the bundle of
// src/main.ts with Kiln's real compiler inside (esbuild, platform browser: no Node built-in, no
// Dawn), and the MNIST subset asset. Everything the page loads comes from this folder.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { mnistSubset } from './mnist-asset.js';
export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(APP_DIR, 'dist');
export const TRAIN_IMAGES = 2000;
export const TEST_IMAGES = 500;
export const DATA_FILE = 'mnist-subset.bin';
export async function buildPlayground(opts = {}) {
    const t0 = performance.now();
    mkdirSync(DIST_DIR, { recursive: true });
    const result = await build({
        entryPoints: [join(APP_DIR, 'src', 'main.ts')],
        outfile: join(DIST_DIR, 'app.js'),
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        sourcemap: true,
        minify: opts.minify ?? false,
        logLevel: 'silent',
        metafile: true,
        absWorkingDir: APP_DIR,
    });
    if (result.warnings.length > 0)
        console.warn(result.warnings.map((w) => `esbuild: ${w.text}`).join('\n'));
    const nodeOnly = Object.values(result.metafile.inputs).flatMap((i) => i.imports.map((m) => m.path)).filter((p) => p.startsWith('node:'));
    if (nodeOnly.length > 0)
        throw new Error(`the playground bundle imports Node built-ins: ${[...new Set(nodeOnly)].join(', ')}`);
    for (const f of ['index.html', 'style.css'])
        copyFileSync(join(APP_DIR, f), join(DIST_DIR, f));
    const dataPath = join(DIST_DIR, DATA_FILE);
    const expected = 20 + (TRAIN_IMAGES + TEST_IMAGES) * 785;
    if (!existsSync(dataPath) || statSync(dataPath).size !== expected)
        writeFileSync(dataPath, mnistSubset(TRAIN_IMAGES, TEST_IMAGES));
    const bundle = readFileSync(join(DIST_DIR, 'app.js'));
    return { dir: DIST_DIR, bundleBytes: bundle.length, bundleGzipBytes: gzipSync(bundle).length, dataBytes: statSync(dataPath).size, ms: performance.now() - t0 };
}
