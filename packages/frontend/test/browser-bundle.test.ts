// @kiln/frontend bundles for the browser with nothing from Node: esbuild (platform browser) picks
// the stubs behind the `#dawn` and `#checkpoint-files` conditional imports, no node: built-in and
// no Dawn gets in, and the minified IIFE loads and runs in a bare V8 context (no process, no
// require, no navigator): a trace names the user's script, 'auto' falls back to the CPU saying why.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInContext, createContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const entry = join(root, 'packages', 'frontend', 'src', 'index.ts');

async function bundle(format: 'esm' | 'iife'): Promise<{ code: string; metafile: Metafile; warnings: string[] }> {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'browser',
    format,
    ...(format === 'iife' ? { globalName: 'kiln', minify: true } : {}),
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
  });
  return { code: r.outputFiles[0]!.text, metafile: r.metafile, warnings: r.warnings.map((w) => w.text) };
}

describe('browser bundle of @kiln/frontend', () => {
  it('has no Node built-in, no Dawn and no Node-only module in it', async () => {
    const { metafile, warnings, code } = await bundle('esm');
    expect(warnings).toEqual([]);
    const inputs = Object.keys(metafile.inputs);
    const imports = Object.values(metafile.inputs).flatMap((i) => i.imports.map((m) => m.path));
    expect(imports.filter((p) => p.startsWith('node:') || /^(?:fs|path|os|module|url|child_process)$/.test(p))).toEqual([]);
    expect(inputs.filter((p) => /node_modules[\\/](?:\.pnpm[\\/])?webgpu/.test(p))).toEqual([]);
    for (const nodeOnly of ['dawn-device.ts', 'native-log.ts', 'node-files.ts'])
      expect(
        inputs.some((p) => p.endsWith(nodeOnly)),
        nodeOnly,
      ).toBe(false);
    for (const stub of ['dawn-absent.ts', 'no-files.ts'])
      expect(
        inputs.some((p) => p.endsWith(stub)),
        stub,
      ).toBe(true);
    expect(code).not.toMatch(/\bimport\(\s*["']webgpu["']\s*\)/);
  });

  it('the minified IIFE loads and traces in a context without process, require or navigator', async () => {
    const { code, warnings } = await bundle('iife');
    expect(warnings).toEqual([]);
    const out: string[] = [];
    const context = createContext({ console: { log: (s: string) => out.push(s), warn: (s: string) => out.push(`warn: ${s}`) }, performance, TextEncoder, TextDecoder });
    runInContext(code, context, { filename: 'http://example.test/kiln.iife.min.js' });
    const traceLine = '  const t = kiln.trace(({ x }) => x.exp(), { x: kiln.f32([2]) });';
    await runInContext(
      `(async () => {
${traceLine}
  console.log(JSON.stringify(t.graph.nodes[0].loc));
  const step = await kiln.compile(t);
  console.log(step.backend + ': ' + step.backendReason);
  console.log(JSON.stringify(Array.from((await step.run({ x: [0, 1] })).out)));
})()`,
      context,
      { filename: 'http://example.test/app.js' },
    );
    const why =
      "default auto: no WebGPU: navigator.gpu is absent (this browser has no WebGPU, or it is turned off) and Dawn's 'webgpu' package runs only in Node; using the CPU interpreter";
    expect(out).toEqual([
      JSON.stringify({ file: 'http://example.test/app.js', line: 2, col: traceLine.indexOf('exp') + 1 }),
      `warn: kiln: ${why}`,
      `cpu: ${why}`,
      JSON.stringify([1, Math.fround(Math.E)]),
    ]);
    console.log(`browser bundle (IIFE, minified): ${code.length} bytes, ${gzipSync(code).length} gzipped`);
  });
});
