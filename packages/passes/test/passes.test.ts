// Properties of the passes beyond the golden files: purity (inputs are never mutated), the
// IEEE facts behind simplify's refusals, pass options, and rule-table coverage.

import { OP_KINDS, parse, print, type Graph } from '@kiln/ir';
import { interpret, toNumberArray } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { PASSES, foldConstantsPass, simplifyPass, simplifyRules, structuralKey } from '../src/index.js';
import { generateGraph } from '@kiln/fuzz';
import { mlpTrainingStep } from './mlp.js';

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

describe('purity', () => {
  const graphs: Graph[] = [mlpTrainingStep(), ...Array.from({ length: 40 }, (_, s) => generateGraph(900 + s).graph)];
  for (const pass of PASSES)
    it(`${pass.name} never mutates its input`, () => {
      for (const g of graphs) {
        const before = print(g);
        const frozen = deepFreeze(g);
        expect(() => pass.run(frozen, {})).not.toThrow();
        expect(print(frozen)).toBe(before);
      }
    });
});

describe('why simplify leaves some float identities alone', () => {
  // Evaluated with the CPU interpreter (IEEE f32), independently of the simplifier.
  const evalBinary = (op: string, a: number, b: number): number => {
    const g = parse(`graph @g(%a: f32[1], %b: f32[1]) -> (r: f32[1]) {\n  %r: f32[1] = ${op} %a, %b\n  return %r\n}\n`);
    return toNumberArray(interpret(g, { a: [a], b: [b] })['r']!)[0]!;
  };

  it('x + 0 is not x for x = -0, but x + (-0) is', () => {
    expect(Object.is(evalBinary('add', -0, 0), 0)).toBe(true);
    expect(Object.is(evalBinary('add', -0, -0), -0)).toBe(true);
  });

  it('x * 0 is not 0 for NaN, infinities and negative x', () => {
    expect(evalBinary('mul', Infinity, 0)).toBeNaN();
    expect(evalBinary('mul', NaN, 0)).toBeNaN();
    expect(Object.is(evalBinary('mul', -3, 0), -0)).toBe(true);
  });

  it('x - x is not 0 for infinities', () => {
    expect(evalBinary('sub', Infinity, Infinity)).toBeNaN();
  });

  it('x - (+0) is x even for -0, so sub-zero is exact', () => {
    expect(Object.is(evalBinary('sub', -0, 0), -0)).toBe(true);
  });
});

describe('options and tables', () => {
  it('fold-constants honours foldSizeLimit for non-splat results', () => {
    const g = parse(`graph @g() -> (r: f32[3]) {
  %a: f32[3] = constant {value=[1,2,3]}
  %r: f32[3] = neg %a
  return %r
}
`);
    expect(foldConstantsPass.run(g, { foldSizeLimit: 2 }).changed).toBe(false);
    const folded = foldConstantsPass.run(g, { foldSizeLimit: 3 });
    expect(folded.changed).toBe(true);
    expect(print(folded.graph)).toContain('constant {value=[-1,-2,-3]}');
  });

  it('has a simplify rule list for every op', () => {
    for (const op of OP_KINDS) expect(Array.isArray(simplifyRules[op]), op).toBe(true);
  });

  it('keys commutative ops by their operand set, others by operand order', () => {
    const g = parse(`graph @g(%x: f32[2], %y: f32[2]) -> (a: f32[2], b: f32[2], c: f32[2], d: f32[2]) {
  %a: f32[2] = mul %x, %y
  %b: f32[2] = mul %y, %x
  %c: f32[2] = div %x, %y
  %d: f32[2] = div %y, %x
  return %a, %b, %c, %d
}
`);
    const [a, b, c, d] = g.nodes.map(structuralKey);
    expect(a).toBe(b);
    expect(c).not.toBe(d);
  });

  it('simplify reports nothing changed on a graph it cannot improve', () => {
    const g = parse('graph @g(%x: f32[2]) -> (r: f32[2]) {\n  %r: f32[2] = exp %x\n  return %r\n}\n');
    const r = simplifyPass.run(g, {});
    expect(r.changed).toBe(false);
    expect(r.graph).toBe(g);
  });
});
