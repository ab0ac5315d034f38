// Hostile command lines: every file or argument problem is one line on stderr
// with exit code 1 (the work failed) or 2 (usage), never a Node stack trace; --inputs JSON is strict
// and non-finite results come back as "NaN" / "Infinity" / "-Infinity".

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, runKiln } from './run-kiln.js';

const dir = mkdtempSync(join(tmpdir(), 'kiln-cli-errors-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const mlp = join(fixtures, 'mlp.kir');
const identity = file('id.kir', 'graph @id(%x: f32[4]) -> (y: f32[4]) {\n  %0: f32[4] = neg %x\n  return %0\n}\n');

const NO_STACK = /^\s+at |node:internal|Node\.js v/m;

describe('kiln: file and argument problems are one-line errors', () => {
  it.each([
    ['a missing IR file', ['check', join(dir, 'nope.kir')], 1, 'nope.kir: error: cannot read the IR file: no such file or directory'],
    ['a directory as the IR file', ['check', dir], 1, 'error: cannot read the IR file: it is a directory'],
    ['a missing model script', ['print', join(dir, 'nope.ts')], 1, 'nope.ts: error: cannot read the model script: no such file or directory'],
    ['a missing inputs file', ['run', mlp, '--inputs', join(dir, 'none.json')], 1, 'none.json: error: cannot read inputs: no such file or directory'],
    ['a directory as the inputs file', ['run', mlp, '--inputs', dir], 1, 'error: cannot read inputs: it is a directory'],
    ['inputs that are not JSON', ['run', mlp, '--inputs', file('bad.json', '{ x: 1 ')], 1, 'error: inputs are not valid JSON'],
    ['an unknown fuzz pass', ['fuzz', '--pass', 'nosuch', '--runs', '1'], 2, "kiln fuzz: unknown pass 'nosuch' (known: dce,"],
    ['a bad --runs', ['fuzz', '--runs', '2.5'], 2, "kiln fuzz: --runs must be a non-negative integer, got '2.5'"],
    ['an unknown flag', ['check', mlp, '--frobnicate'], 2, "kiln check: Unknown option '--frobnicate'"],
    ['a flag missing its value', ['run', mlp, '--inputs'], 2, "kiln run: Option '--inputs <value>' argument missing"],
    ['a missing positional argument', ['check'], 2, 'kiln check: kiln check needs an IR file'],
    ['an output directory that is a file', ['dump', mlp, '--out', identity], 1, 'kiln dump: '],
    ['a model script with a syntax error', ['print', file('syntax.ts', 'export default 42 +;\n')], 1, 'syntax.ts: error: cannot load the model script: Transform failed'],
    ['a model script that throws', ['print', file('throws.ts', 'throw new Error("boom");\n')], 1, 'throws.ts: error: cannot load the model script: boom'],
    ['an extra argument', ['check', mlp, 'extra'], 2, "kiln check: unexpected argument 'extra'"],
  ])('%s', (_name, args, code, phrase) => {
    const r = runKiln(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(phrase);
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(r.stderr.split('\n')[0]).toContain(phrase.split('\n')[0] ?? phrase);
  });

  it('--debug adds the stack trace of the error', () => {
    const r = runKiln(['check', join(dir, 'nope.kir'), '--debug']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read the IR file');
    expect(r.stderr).toMatch(/^\s+at /m);
  });
});

describe('kiln run --inputs: strict JSON in, non-finite values out as strings', () => {
  it('rejects a string inside f32 data, naming the input and the element', () => {
    const r = runKiln(['run', identity, '--inputs', file('str.json', '{"x": [1, 2, "3", 4]}')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('str.json: error: element 2 (at [2]) is string "3", expected a number (or "NaN", "Infinity", "-Infinity") (value %x)');
    expect(r.stdout).toBe('');
  });

  it('rejects one number filling a whole tensor', () => {
    const r = runKiln(['run', identity, '--inputs', file('fill.json', '{"x": 0.5}')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a single value does not fill a tensor');
  });

  it('reads and prints NaN, Infinity and -Infinity as strings', () => {
    const r = runKiln(['run', identity, '--inputs', file('nf.json', '{"x": ["NaN", "Infinity", "-Infinity", -0.5]}')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ y: ['NaN', '-Infinity', 'Infinity', 0.5] });
  });
});
