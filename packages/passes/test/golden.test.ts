// Golden tests for every pass: tests/golden/passes/<pass>/*.kir hold a hand-written input, the
// hand-written expected output and the stats the pass must report. Each output must also verify
// and compute the same values as its input (checked through the CPU interpreter).

import { parse, print } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { PASSES, passByName } from '../src/index.js';
import { canonical, expectPassSound, loadGolden } from './helpers.js';

// Every registered pass: a new pass fails 'has golden cases' until its directory exists.
const PASS_DIRS = PASSES.map((p) => p.name);

for (const name of PASS_DIRS) {
  describe(`golden ${name}`, () => {
    const pass = passByName(name);
    const cases = loadGolden(name);
    it('has golden cases', () => {
      expect(pass).toBeDefined();
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const c of cases) {
      it(c.file, () => {
        if (pass === undefined) return;
        const input = parse(c.input, `${name}/${c.file}`);
        const result = pass.run(input, c.options);
        expect(print(result.graph)).toBe(canonical(c.expected));
        for (const [k, v] of Object.entries(c.stats)) expect(result.stats[k], `stat ${k}`).toBe(v);
        expect(expectPassSound(pass, input, undefined, c.options)).toBeUndefined();
      });
    }
  });
}
