// FileCheck-style pass tests: every tests/filecheck/passes/*.kir is parsed, run through its RUN
// pipeline (verifying after each pass) and its CHECK lines matched against the printed result.
// Every pass in the registry must be named by some RUN line; the matcher itself is tested too.

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, print } from '@kiln/ir';
import { PASSES, parsePipeline, runPipeline } from '@kiln/passes';
import { describe, expect, it } from 'vitest';
import { fileCheck, parseCheckFile } from './filecheck.js';

const DIR = fileURLToPath(new URL('./passes/', import.meta.url));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.kir'))
  .sort();
const cases = files.map((f) => ({ file: f, check: parseCheckFile(readFileSync(DIR + f, 'utf8'), f) }));

describe('FileCheck pass tests', () => {
  it.each(cases)('$file', ({ file, check }) => {
    const out = runPipeline(parse(check.input, file), check.run, { verify: true });
    expect(fileCheck(print(out.graph), check.directives, file)).toEqual([]);
  });

  it('every registered pass has a FileCheck file', () => {
    const covered = new Set(cases.flatMap((c) => parsePipeline(c.check.run).map((p) => p.name)));
    expect(PASSES.map((p) => p.name).filter((n) => !covered.has(n))).toEqual([]);
  });
});

describe('the FileCheck matcher', () => {
  const out = 'graph @g(%x: f32[2]) {\n  %a: f32[2] = exp %x\n  %b: f32[2] = neg %a\n  return %b\n}';
  const run = (checks: string): string[] => fileCheck(out, parseCheckFile(`// RUN: dce\n${checks}`, 't.kir').directives, 't.kir');

  it('passes in-order CHECK, CHECK-NEXT and absent CHECK-NOT patterns, with {{regex}} spans', () => {
    expect(run('// CHECK: exp %x\n// CHECK-NEXT: %b: f32[{{[0-9]+}}] = neg\n// CHECK-NOT: mul\n// CHECK: return %b')).toEqual([]);
  });

  it('fails a CHECK that is missing or out of order, naming the directive line', () => {
    expect(run('// CHECK: mul')).toEqual([expect.stringContaining("t.kir:2: CHECK: 'mul' not found")]);
    expect(run('// CHECK: neg\n// CHECK: exp')).toHaveLength(1);
  });

  it('fails a CHECK-NEXT that is not on the next line', () => {
    expect(run('// CHECK: exp\n// CHECK-NEXT: return')).toEqual([expect.stringContaining('CHECK-NEXT')]);
  });

  it('fails a CHECK-NOT pattern between its neighbouring matches, but not outside them', () => {
    expect(run('// CHECK: exp\n// CHECK-NOT: neg\n// CHECK: return')).toEqual([expect.stringContaining("CHECK-NOT: 'neg' found on output line 3")]);
    expect(run('// CHECK: neg\n// CHECK-NOT: exp\n// CHECK: return')).toEqual([]);
  });

  it('rejects files without a RUN or a CHECK line', () => {
    expect(() => parseCheckFile('// CHECK: x', 'a.kir')).toThrow(/RUN/);
    expect(() => parseCheckFile('// RUN: dce', 'a.kir')).toThrow(/CHECK/);
  });
});
