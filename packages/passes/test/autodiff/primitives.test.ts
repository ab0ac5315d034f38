// Gradient checks of every differentiable primitive (the table in cases.ts): the symbolic VJP,
// run by the CPU interpreter in f64, against central finite differences.

import { describe, expect, it } from 'vitest';
import { verify } from '@kiln/ir';
import { gradcheck, gradGraph } from '../../src/autodiff/index.js';
import { gradCases } from './cases.js';
import { caseGraph, inputValues } from './helpers.js';

describe('gradcheck of every differentiable primitive (f64, rel. error < 1e-6)', () => {
  for (const c of gradCases) {
    it(c.name, () => {
      const g = caseGraph(c);
      expect(verify(gradGraph(g, { of: 'loss', wrt: c.wrt }))).toEqual([]);
      const r = gradcheck(g, { of: 'loss', wrt: c.wrt, inputs: inputValues(c) });
      for (const name of c.wrt) {
        const check = r.inputs[name]!;
        if (c.zeroGrad?.includes(name) === true) {
          expect(check.symbolic.every((v) => v === 0)).toBe(true);
          expect(check.numeric.every((v) => v === 0)).toBe(true);
          continue;
        }
        // A gradient that is identically zero would pass trivially; every case must move the loss.
        expect(Math.max(...check.numeric.map(Math.abs)), `${name} numeric gradient is all zero`).toBeGreaterThan(1e-3);
        expect(check.maxRelError, name).toBeLessThan(1e-6);
      }
    });
  }
});
