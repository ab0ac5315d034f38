// Enum attributes (reduce_window's kind): the schema entry types the value as the union of its
// names, the parser takes them as "strings" and names the allowed ones when given anything else,
// the verifier rejects any other string with the node's position, and the printer's text is the
// one free strings had.

import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  GraphBuilder,
  REDUCE_WINDOW_KINDS,
  enumAttr,
  formatAttrKind,
  formatDiagnostic,
  formatEnumChoices,
  opDef,
  parse,
  print,
  verify,
  type AttrsOf,
  type Graph,
  type NodeOf,
  type ReduceWindowKind,
} from '../src/index.js';
import { catchKiln, f32, verifyText } from './helpers.js';

const POOL = 'window=[1,2,2,1], stride=[1,2,2,1], padding=[[0,0],[0,0],[0,0],[0,0]]';
const pooled = (kind: string): string => `graph @p(%x: f32[1,4,4,1]) -> (out: f32[1,2,2,1]) {\n  %0: f32[1,2,2,1] = reduce_window %x {kind=${kind}, ${POOL}}\n  return %0\n}\n`;

describe('enum attribute schema', () => {
  it('types the attribute as the union of its values', () => {
    expectTypeOf<AttrsOf<'reduce_window'>['kind']>().toEqualTypeOf<ReduceWindowKind>();
    expectTypeOf(enumAttr(['a', 'b', 'c']).enum).toEqualTypeOf<readonly ['a' | 'b' | 'c', ...('a' | 'b' | 'c')[]]>();
  });

  it('the registry entry lists exactly REDUCE_WINDOW_KINDS', () => {
    expect(opDef('reduce_window').attrs.kind).toEqual({ enum: ['max', 'sum'] });
    expect(opDef('reduce_window').attrs.kind.enum).toBe(REDUCE_WINDOW_KINDS);
  });

  it('names the allowed values in messages and docs', () => {
    expect(formatEnumChoices(enumAttr(['max']))).toBe('"max"');
    expect(formatEnumChoices(enumAttr(['max', 'sum']))).toBe('"max" or "sum"');
    expect(formatEnumChoices(enumAttr(['a', 'b', 'c']))).toBe('"a", "b" or "c"');
    expect(formatAttrKind(enumAttr(['max', 'sum']))).toBe('"max" | "sum"');
    expect(formatAttrKind('ints')).toBe('ints');
  });
});

describe('enum attributes in IR text', () => {
  it('print as strings and round-trip', () => {
    for (const kind of REDUCE_WINDOW_KINDS) {
      const text = pooled(`"${kind}"`);
      const g = parse(text);
      expect((g.nodes[0] as NodeOf<'reduce_window'>).attrs.kind).toBe(kind);
      expect(print(g)).toBe(text);
      expect(verify(g)).toEqual([]);
    }
  });

  it('a value that is not a string is a parse error at the value naming the allowed values', () => {
    for (const value of ['max', '1', '[1]', '@max']) {
      const e = catchKiln(() => parse(pooled(value), 'p.kir'));
      expect(e.message).toBe(`p.kir:2:45: error: reduce_window: attribute 'kind' must be a "string" ("max" or "sum")`);
    }
  });

  it('any other string parses and is a verifier error at the node naming the allowed values', () => {
    expect(verifyText(pooled('"mean"'), 'p.kir')).toEqual(['p.kir:2:3: error: reduce_window: kind must be "max" or "sum", got "mean" (value %0)']);
    // Case matters: the names are exact.
    expect(verifyText(pooled('"MAX"'), 'p.kir').join()).toContain('kind must be "max" or "sum", got "MAX"');
  });

  it('the verifier also rejects a bad kind in a built graph (no IR text, so no position)', () => {
    const b = new GraphBuilder('p');
    const x = b.input('x', f32(4));
    b.output(b.add('reduce_window', [x], { kind: 'sum', window: [2], stride: [2], padding: [[0, 0]] }), 'out');
    const g = b.build();
    const node = g.nodes[0] as NodeOf<'reduce_window'>;
    const fromJs: string = 'avg';
    const bad: Graph = { ...g, nodes: [{ ...node, attrs: { ...node.attrs, kind: fromJs as ReduceWindowKind } }] };
    expect(verify(g)).toEqual([]);
    expect(verify(bad).map(formatDiagnostic)).toEqual(['error: reduce_window: kind must be "max" or "sum", got "avg" (value %0)']);
  });
});
