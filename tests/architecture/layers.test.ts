// The package graph follows the data: ir <- passes <- codegen-wgsl <- runtime <- frontend (onnx
// above passes, whose autodiff builds ONNX Gradient: ir in, ir out, wrapped by the frontend), with fuzz, the CLI (bin/) and the playground on top; no import circles between source files.
// Read from the import statements of every source file (import-graph.ts), and from package.json.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, readImportGraph } from './import-graph.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Each package and the packages its sources may import (a layer sees only the layers below it). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  ir: [],
  passes: ['ir'],
  'codegen-wgsl': ['ir'],
  runtime: ['ir', 'passes', 'codegen-wgsl'],
  frontend: ['ir', 'passes', 'codegen-wgsl', 'runtime', 'onnx'],
  fuzz: ['ir', 'passes'],
  onnx: ['ir', 'passes'],
};
/** Trees on top of every package: they may import any of them. */
const TOP: Readonly<Record<string, string>> = { bin: 'bin', playground: 'apps/playground/src' };

const UNITS = { ...Object.fromEntries(Object.keys(ALLOWED).map((p) => [p, `packages/${p}/src`])), ...TOP };
const files = readImportGraph(ROOT, UNITS);

/**
 * The one circle left when type-only imports are counted: Tensor's `trace` is a TraceContext,
 * TraceContext builds Tensors and binds Variables, Variable extends Tensor. TypeScript erases
 * these types, so the modules still load in one order (value imports have no circle).
 */
const TYPE_ONLY_CIRCLES = [['packages/frontend/src/tensor.ts', 'packages/frontend/src/trace-context.ts', 'packages/frontend/src/variable.ts']];

describe('package layering', () => {
  it('reads every package (the walker found sources and imports)', () => {
    for (const unit of Object.keys(UNITS)) expect(files.filter((f) => f.unit === unit).length, unit).toBeGreaterThan(0);
    expect(files.some((f) => f.packages.includes('ir'))).toBe(true);
  });

  it('every package with sources has its place in the layer table', () => {
    const withSources = readdirSync(join(ROOT, 'packages')).filter((p) => existsSync(join(ROOT, 'packages', p, 'src')));
    expect(withSources.filter((p) => !(p in ALLOWED))).toEqual([]);
  });

  it.each(Object.entries(ALLOWED))('%s imports only the packages below it', (pkg, allowed) => {
    const bad = files.filter((f) => f.unit === pkg).flatMap((f) => f.packages.filter((p) => p !== pkg && !allowed.includes(p)).map((p) => `${f.path} imports @kiln/${p}`));
    expect(bad).toEqual([]);
  });

  it.each(Object.entries(ALLOWED))('%s/package.json depends only on the packages below it', (pkg, allowed) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const kiln = Object.keys(manifest.dependencies ?? {})
      .filter((d) => d.startsWith('@kiln/'))
      .map((d) => d.slice('@kiln/'.length));
    expect(kiln.filter((d) => !allowed.includes(d))).toEqual([]);
  });

  it('no package reaches into another package by relative path', () => {
    const bad = files.flatMap((f) => f.imports.filter((i) => !i.startsWith(UNITS[f.unit as keyof typeof UNITS]!)).map((i) => `${f.path} -> ${i}`));
    expect(bad).toEqual([]);
  });
});

describe('import circles', () => {
  it('no circle of value imports between source files', () => {
    expect(importCycles(files)).toEqual([]);
  });

  it('counting type-only imports too, only the Tensor/TraceContext/Variable type recursion', () => {
    expect(importCycles(files, true)).toEqual(TYPE_ONLY_CIRCLES);
  });

  it('the circle finder finds a planted circle (it can fail)', () => {
    const planted = [
      { path: 'a.ts', unit: 'x', imports: ['b.ts'], valueImports: ['b.ts'], packages: [] },
      { path: 'b.ts', unit: 'x', imports: ['c.ts'], valueImports: ['c.ts'], packages: [] },
      { path: 'c.ts', unit: 'x', imports: ['a.ts'], valueImports: [], packages: [] },
    ];
    expect(importCycles(planted)).toEqual([]);
    expect(importCycles(planted, true)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
