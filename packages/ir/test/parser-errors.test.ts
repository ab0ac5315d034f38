// Parser-level errors: syntax and name resolution fail in `parse` with a KilnError whose message
// points at file:line:col of the offending token. Columns are counted by hand from the texts below.

import { describe, expect, it } from 'vitest';
import { KilnError, parse } from '../src/index.js';
import { catchKiln } from './helpers.js';

interface ParseCase {
  readonly name: string;
  readonly text: string;
  readonly at: string;
  readonly phrase: string;
}

const HEAD = 'graph @g(%x: f32[2]) -> (out: f32[2]) {';
const TAIL = '  return %0\n}\n';

/** A graph whose second line is `line` (and whose result is %0: f32[2]). */
const body = (line: string): string => `${HEAD}\n${line}\n${TAIL}`;

const CASES: readonly ParseCase[] = [
  { name: 'unknown op', text: body('  %0: f32[2] = frobnicate %x'), at: '2:16', phrase: "unknown op 'frobnicate'" },
  { name: 'unknown attribute', text: body('  %0: f32[2] = neg %x {axis=1}'), at: '2:24', phrase: "neg: unknown attribute 'axis' (expected none)" },
  {
    name: 'unknown attribute of an op that has attributes',
    text: body('  %0: f32[2] = reshape %x {shape=[2], perm=[0]}'),
    at: '2:39',
    phrase: "reshape: unknown attribute 'perm' (expected shape)",
  },
  { name: 'missing attribute', text: body('  %0: f32[2] = reshape %x'), at: '2:16', phrase: "reshape: missing attribute 'shape'" },
  { name: 'one of several attributes missing', text: body('  %0: f32[2] = slice %x {start=[0], limit=[2]}'), at: '2:16', phrase: "slice: missing attribute 'stride'" },
  { name: 'attribute given twice', text: body('  %0: f32[2] = reshape %x {shape=[2], shape=[2]}'), at: '2:39', phrase: "attribute 'shape' given twice" },
  { name: 'undefined value', text: body('  %0: f32[2] = neg %y'), at: '2:20', phrase: 'use of undefined value %y' },
  { name: 'self-reference is an undefined value', text: body('  %0: f32[2] = neg %0'), at: '2:20', phrase: 'use of undefined value %0' },
  {
    name: 'duplicate value',
    text: `${HEAD}\n  %0: f32[2] = neg %x\n  %0: f32[2] = exp %x\n${TAIL}`,
    at: '3:3',
    phrase: 'value %0 is defined twice',
  },
  { name: 'node redefines a parameter', text: body('  %x: f32[2] = neg %x'), at: '2:3', phrase: 'value %x is defined twice' },
  { name: 'duplicate parameter', text: 'graph @g(%x: f32[2], %x: f32[2]) -> () {\n  return\n}\n', at: '1:22', phrase: 'duplicate parameter %x' },
  { name: 'bad dtype in a type', text: 'graph @g(%x: f64[2]) -> () {\n  return\n}\n', at: '1:14', phrase: "unknown dtype 'f64' (expected f32, i32, u32 or bool)" },
  { name: 'bad dtype attribute', text: body('  %0: f32[2] = cast %x {dtype=f64}'), at: '2:31', phrase: "cast: attribute 'dtype' must be a dtype (f32, i32, u32, bool)" },
  { name: 'fractional dimension', text: 'graph @g(%x: f32[2.5]) -> () {\n  return\n}\n', at: '1:18', phrase: 'dimension sizes must be non-negative integers, got 2.5' },
  { name: 'unterminated string', text: body('  %0: f32[2] = reduce_window %x {kind="max'), at: '2:39', phrase: 'unterminated string' },
  { name: 'invalid escape in a string', text: body('  %0: f32[2] = reduce_window %x {kind="m\\qx"}'), at: '2:39', phrase: 'invalid string literal' },
  { name: 'too many return values', text: `${HEAD}\n  %0: f32[2] = neg %x\n  return %0, %0\n}\n`, at: '3:3', phrase: 'return has 2 value(s) but the signature declares 1' },
  { name: 'too few return values', text: `${HEAD}\n  return\n}\n`, at: '2:3', phrase: 'return has 0 value(s) but the signature declares 1' },
  {
    name: 'returned type differs from the signature',
    text: 'graph @g(%x: f32[2]) -> (out: f32[3]) {\n  return %x\n}\n',
    at: '2:10',
    phrase: 'returned value %x does not match result out type f32[3]',
  },
  { name: 'string where an int is expected', text: body('  %0: f32[2] = concat %x {axis="0"}'), at: '2:32', phrase: "concat: attribute 'axis' must be a number" },
  { name: 'fraction where an int is expected', text: body('  %0: f32[2] = concat %x {axis=0.5}'), at: '2:32', phrase: "concat: attribute 'axis' must be an integer" },
  { name: 'scalar where a list is expected', text: body('  %0: f32[2] = reshape %x {shape=2}'), at: '2:34', phrase: "reshape: attribute 'shape' must be a list [..]" },
  { name: 'number where a symbol is expected', text: body('  %0: f32[2] = call %x {callee=3}'), at: '2:32', phrase: "call: attribute 'callee' must be a @symbol" },
  {
    name: 'identifier where a string is expected',
    text: body('  %0: f32[2] = reduce_window %x {kind=max}'),
    at: '2:39',
    phrase: 'reduce_window: attribute \'kind\' must be a "string"',
  },
  {
    name: 'triple where pairs are expected',
    text: body('  %0: f32[2] = reduce_window %x {kind="max", window=[1], stride=[1], padding=[[0,0,0]]}'),
    at: '2:78',
    phrase: "reduce_window: attribute 'padding' must be a list of [lo,hi] pairs",
  },
  { name: 'unexpected character', text: body('  %0: f32[2] = neg %x $'), at: '2:23', phrase: "unexpected character '$'" },
  { name: 'bare percent sign', text: body('  %0: f32[2] = neg % x'), at: '2:20', phrase: "expected a name after '%'" },
  { name: 'unknown parameter attribute', text: 'graph @g(%x: f32[2] {frozen}) -> () {\n  return\n}\n', at: '1:22', phrase: "unknown parameter attribute 'frozen'" },
  { name: 'negative annotation', text: body('  %0: f32[2] = neg %x {buf=-1}'), at: '2:28', phrase: 'expected a non-negative integer, got -1' },
  { name: 'numeric parameter name', text: 'graph @g(%0: f32[2]) -> () {\n  return\n}\n', at: '1:10', phrase: "parameter names must start with a letter or '_', got %0" },
  { name: 'missing colon', text: body('  %0 f32[2] = neg %x'), at: '2:6', phrase: "expected ':', got 'f32'" },
  { name: 'missing closing brace', text: `${HEAD}\n  %0: f32[2] = neg %x\n  return %0\n`, at: '4:1', phrase: "expected '}', got end of input" },
  { name: 'no graph', text: '# nothing here\n', at: '2:1', phrase: 'no graph in the file' },
  { name: 'two graphs', text: 'graph @a() -> () {\n  return\n}\ngraph @b() -> () {\n  return\n}\n', at: '4:1', phrase: 'more than one graph in the file' },
  {
    name: 'duplicate kernel',
    text: 'kernel @k() -> () {\n  return\n}\nkernel @k() -> () {\n  return\n}\ngraph @g() -> () {\n  return\n}\n',
    at: '4:1',
    phrase: 'duplicate kernel @k',
  },
  { name: 'junk at top level', text: 'func @g() -> () {\n  return\n}\n', at: '1:1', phrase: "expected 'graph' or 'kernel', got 'func'" },
];

describe('parse errors carry file:line:col', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const e = catchKiln(() => parse(c.text, 'bad.kir'));
      expect(e).toBeInstanceOf(KilnError);
      expect(e.message).toContain(`bad.kir:${c.at}: error: `);
      expect(e.message).toContain(c.phrase);
      const [line, col] = c.at.split(':').map(Number);
      expect(e.diagnostics[0]?.pos).toEqual({ line, col });
      expect(e.diagnostics[0]?.file).toBe('bad.kir');
    });
  }

  it('uses <ir> when no file name is given', () => {
    expect(catchKiln(() => parse(body('  %0: f32[2] = nope %x'))).message).toContain('<ir>:2:16: error: ');
  });
});
