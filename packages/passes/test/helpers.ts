// Shared helpers for the passes tests: golden-file loading, deterministic inputs for any graph,
// and semantic equality of two graphs through the CPU interpreter.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lcg32, numel, parse, print, type Graph } from '@kiln/ir';
import { interpret, type HostTensor } from '@kiln/ir';
import type { Pass, PassOptions } from '../src/index.js';
import { checkSubject } from '@kiln/fuzz';

/** tests/golden/passes at the repository root (this file is packages/passes/test/helpers.ts). */
export const GOLDEN_PASSES_DIR = fileURLToPath(new URL('../../../tests/golden/passes/', import.meta.url));

export const EXPECT_MARKER = '# ---- expected ----';

export interface GoldenCase {
  readonly pass: string;
  readonly file: string;
  readonly input: string;
  readonly expected: string;
  /** Stats the pass must report (`# stats: key=value, ...` lines in the input section). */
  readonly stats: Readonly<Record<string, number>>;
  /** Pass options (`# options: {json}` line in the input section). */
  readonly options: PassOptions;
}

/**
 * A golden file holds the input IR, a line `# ---- expected ----`, and the expected output IR;
 * `# stats: k=v, ...` lines before the marker list stats the pass must report, and an optional
 * `# options: {json}` line the pass options.
 */
export function loadGolden(pass: string): GoldenCase[] {
  const dir = join(GOLDEN_PASSES_DIR, pass);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.kir'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      const at = text.indexOf(EXPECT_MARKER);
      if (at < 0) throw new Error(`${pass}/${file}: missing '${EXPECT_MARKER}' line`);
      const input = text.slice(0, at);
      const stats: Record<string, number> = {};
      for (const m of input.matchAll(/^# stats: (.*)$/gm))
        for (const kv of (m[1] ?? '').split(',')) {
          const [k, v] = kv.split('=').map((s) => s.trim());
          if (k !== undefined && v !== undefined && k !== '') stats[k] = Number(v);
        }
      const opts = /^# options: (.*)$/m.exec(input);
      const options = opts !== null ? (JSON.parse(opts[1] ?? '{}') as PassOptions) : {};
      return { pass, file, input, expected: text.slice(at + EXPECT_MARKER.length), stats, options };
    });
}

/** Canonical text of an IR source (parse + print), so golden files may be laid out loosely. */
export function canonical(text: string): string {
  return print(parse(text));
}

/** Deterministic inputs for every input of `g`: small floats in [-2, 2], small ints, 0/1 bools. */
export function inputsFor(g: Graph, seed = 7): Record<string, number[]> {
  const lcg = new Lcg32(seed);
  const next = (): number => lcg.float();
  const out: Record<string, number[]> = {};
  for (const i of g.inputs) {
    const n = numel(i.type.shape);
    out[i.name] = Array.from({ length: n }, () => {
      const u = next();
      switch (i.type.dtype) {
        case 'f32':
          return Math.round((u * 4 - 2) * 64) / 64;
        case 'i32':
          return Math.floor(u * 11) - 5;
        case 'u32':
          return Math.floor(u * 10);
        case 'bool':
          return u < 0.5 ? 0 : 1;
      }
    });
  }
  return out;
}

/** Runs `pass` on `g` through the fuzzer's checker: verifies, round-trips, same outputs. */
export function expectPassSound(pass: Pass, g: Graph, inputs = inputsFor(g), options: PassOptions = {}): string | undefined {
  const failure = checkSubject({ kind: 'pass', pass }, g, inputs, options);
  return failure === undefined ? undefined : `${failure.kind}: ${failure.message}`;
}

export function run(g: Graph, inputs = inputsFor(g)): Record<string, HostTensor> {
  return interpret(g, inputs);
}
