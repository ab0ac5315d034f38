// Coverage: the eval rule table has exactly the registry's ops, and every op is exercised by at
// least one test here whose title starts with the op's name ("add: ...", "exp, log: ...").

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OP_KINDS } from '@kiln/ir';
import { evalRules } from '@kiln/ir';

function testedOps(): Set<string> {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const ops = new Set<string>();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.test.ts') || file === 'coverage.test.ts') continue;
    const text = readFileSync(join(dir, file), 'utf8');
    for (const m of text.matchAll(/\bit\(\s*(['"`])(.*?)\1/g)) {
      const title = m[2] ?? '';
      const colon = title.indexOf(':');
      if (colon < 0) continue;
      for (const name of title.slice(0, colon).split(/[\s,]+/)) if (name !== '') ops.add(name);
    }
  }
  return ops;
}

describe('coverage', () => {
  it('evalRules has one rule per registry op and nothing else', () => {
    expect(Object.keys(evalRules).sort()).toEqual([...OP_KINDS].sort());
    for (const op of OP_KINDS) expect(typeof evalRules[op], op).toBe('function');
  });

  it('every registry op has a test case named after it', () => {
    const tested = testedOps();
    const missing = OP_KINDS.filter((op) => !tested.has(op));
    expect(missing).toEqual([]);
  });
});
