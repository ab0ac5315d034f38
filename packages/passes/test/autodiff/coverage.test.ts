// The VJP table is total over the registry (the type does that); this test walks OP_KINDS and
// requires every op with a gradient rule to have at least one gradcheck case in cases.ts.

import { describe, expect, it } from 'vitest';
import { OP_KINDS } from '@kiln/ir';
import { isDifferentiableOp, vjpRules } from '../../src/autodiff/index.js';
import { gradCases } from './cases.js';

describe('VJP coverage', () => {
  it('every differentiable op has a gradcheck case', () => {
    const covered = new Set(gradCases.map((c) => c.op));
    const missing = OP_KINDS.filter((op) => isDifferentiableOp(op) && !covered.has(op));
    expect(missing).toEqual([]);
  });

  it('every op without a rule says why', () => {
    for (const op of OP_KINDS) {
      const rule = vjpRules[op];
      if (typeof rule === 'function') continue;
      expect(rule.why.length, op).toBeGreaterThan(10);
    }
  });

  it('classifies the non-differentiable ops as specified', () => {
    const nondiff = OP_KINDS.filter((op) => {
      const r = vjpRules[op];
      return typeof r !== 'function' && r.kind === 'nondiff';
    }).sort();
    expect(nondiff).toEqual(
      ['and', 'argmax', 'argmin', 'ceil', 'constant', 'eq', 'floor', 'ge', 'gt', 'iota', 'le', 'lt', 'ne', 'not', 'or', 'random_bits', 'round', 'sign', 'stop_gradient'].sort(),
    );
    const unsupported = OP_KINDS.filter((op) => {
      const r = vjpRules[op];
      return typeof r !== 'function' && r.kind === 'unsupported';
    });
    expect(unsupported).toEqual(['call']);
  });
});
