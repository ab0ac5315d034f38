// Hostile-input cases for the parser and verifier: undefined operands, dtype
// constraints, dimensions only in canonical decimal, and per-value / per-graph size limits, each
// reported with file:line:col. The programs are the classes a hostile-input probe found.

import { describe, expect, it } from 'vitest';
import { MAX_VALUE_BYTES, formatDiagnostic, parse, verify, type Graph } from '../src/index.js';
import { catchKiln } from './helpers.js';

const unary = (dim: string): string => `graph @g(%x: f32[${dim}]) -> (y: f32[${dim}]) {\n  %0: f32[${dim}] = neg %x\n  return %0\n}\n`;

function diagnostics(text: string): string[] {
  return verify(parse(text, 'p.kir'), { file: 'p.kir' }).map(formatDiagnostic);
}

describe('operands and dtypes', () => {
  it('rejects an operand naming a value that does not exist (parse, and verify of a built graph)', () => {
    expect(catchKiln(() => parse('graph @g(%x: f32[2]) -> (y: f32[2]) {\n  %0: f32[2] = add %x, %nope\n  return %0\n}\n', 'p.kir')).message).toContain(
      'p.kir:2:24: error: use of undefined value %nope',
    );
    const g = parse(unary('2'), 'p.kir');
    const node = g.nodes[0];
    if (node === undefined) throw new Error('test graph has no node');
    const broken: Graph = { ...g, nodes: [{ ...node, operands: [42] }] };
    expect(verify(broken, { file: 'p.kir' }).map(formatDiagnostic).join('\n')).toContain('p.kir:2:3: error: neg: operand %#42 is used before it is defined');
  });

  it.each([
    ['select with a f32 predicate', '%c: f32[2], %x: f32[2]', 'f32[2] = select %c, %x, %x', 'predicate must be bool'],
    ['and on f32', '%c: f32[2], %x: f32[2]', 'f32[2] = and %c, %x', 'f32'],
    ['not on f32', '%c: f32[2], %x: f32[2]', 'f32[2] = not %c', 'f32'],
  ])('rejects %s', (_name, params, line, phrase) => {
    const d = diagnostics(`graph @g(${params}) -> (y: f32[2]) {\n  %0: ${line}\n  return %0\n}\n`);
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]).toContain('p.kir:2:3: error:');
    expect(d[0]).toContain(phrase);
  });
});

describe('constants hold only what their dtype holds', () => {
  it.each([
    ['i32', '1.5', 'value 1.5 is not a i32 (an integer in [-2147483648, 2147483647])'],
    ['i32', '2147483648', 'value 2147483648 is not a i32'],
    ['i32', 'nan', 'value NaN is not a i32'],
    ['u32', '-1', 'value -1 is not a u32 (an integer in [0, 4294967295])'],
    ['u32', '4294967296', 'value 4294967296 is not a u32'],
    ['bool', '2', 'value 2 is not a bool (0 or 1)'],
    ['bool', '[0,1,2]', 'value[2] 2 is not a bool'],
  ])('rejects a %s constant of %s', (dtype, value, phrase) => {
    const d = diagnostics(`graph @g() -> (y: ${dtype}[3]) {\n  %0: ${dtype}[3] = constant {value=${value}}\n  return %0\n}\n`);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatch(/^p\.kir:2:3: error: constant: /);
    expect(d[0]).toContain(phrase);
  });

  it('accepts in-range integers, 0/1 bools and any f32 (NaN and ±Inf included)', () => {
    for (const [dtype, value] of [
      ['i32', '-2147483648'],
      ['u32', '4294967295'],
      ['bool', '1'],
      ['f32', 'nan'],
      ['f32', '-inf'],
    ])
      expect(diagnostics(`graph @g() -> (y: ${dtype}[3]) {\n  %0: ${dtype}[3] = constant {value=${value}}\n  return %0\n}\n`)).toEqual([]);
  });
});

describe('dimensions', () => {
  it.each(['1e3', '02', '2.0', '-0', '1E3', '00'])('rejects the dimension %s at its line:col', (dim) => {
    const e = catchKiln(() => parse(unary(dim), 'p.kir'));
    expect(e.message).toBe(`p.kir:1:18: error: dimension sizes are written as plain decimal integers (like 0, 7, 128), got ${dim}`);
  });

  it.each(['0x10', '+2'])('rejects the dimension %s (not a number token)', (dim) => {
    expect(catchKiln(() => parse(unary(dim), 'p.kir')).message).toMatch(/^p\.kir:1:1[89]: error: /);
  });

  it('rejects a dimension past 2^53 in the parser', () => {
    expect(catchKiln(() => parse(unary('100000000000000000000000'), 'p.kir')).message).toBe('p.kir:1:18: error: dimension size 100000000000000000000000 is too large');
  });

  it('accepts canonical dimensions, 0 included', () => {
    expect(diagnostics(unary('0'))).toEqual([]);
    expect(diagnostics(unary('1000'))).toEqual([]);
  });

  it('rejects non-canonical integers in shape-like attributes', () => {
    const text = 'graph @g(%x: f32[2]) -> (y: f32[2]) {\n  %0: f32[2] = reshape %x {shape=[2.0]}\n  return %0\n}\n';
    expect(catchKiln(() => parse(text, 'p.kir')).message).toContain("p.kir:2:34: error: reshape: attribute 'shape' must be an integer in canonical decimal form, got 2.0");
  });
});

describe('size limits at verify time', () => {
  it.each(['1073741824', '536870912', '9007199254740991'])('rejects a value of %s f32 elements with file:line:col', (dim) => {
    const d = diagnostics(unary(dim)).join('\n');
    expect(d).toContain('p.kir:1:10: error: ');
    expect(d).toContain(`more than the ${MAX_VALUE_BYTES} bytes (2^31-1) one value may hold`);
    expect(d).toContain('p.kir:2:3: error: neg: ');
  });

  it('accepts the largest value that fits (536870911 f32 elements = 2^31-4 bytes)', () => {
    expect(diagnostics(unary('536870911'))).toEqual([]);
  });

  it('checks the product of the dimensions, not each one', () => {
    expect(diagnostics(unary('65536,65536')).join('\n')).toContain('f32[65536,65536] needs more than');
  });

  it('rejects a graph whose values add up to more than 2^40 bytes', () => {
    const lines = Array.from({ length: 600 }, (_, i) => `  %${i + 1}: f32[500000000] = neg %${i === 0 ? 'x' : i}`);
    const text = `graph @g(%x: f32[500000000]) -> (y: f32[500000000]) {\n${lines.join('\n')}\n  return %600\n}\n`;
    expect(diagnostics(text).join('\n')).toContain('more than the 1099511627776 (2^40) one graph may hold');
  });

  it('rejects a built graph with a fractional or negative dimension', () => {
    const g = parse(unary('2'), 'p.kir');
    const bad: Graph = { ...g, inputs: g.inputs.map((i) => ({ ...i, type: { dtype: 'f32', shape: [2.5] } })) };
    expect(verify(bad, { file: 'p.kir' }).map(formatDiagnostic).join('\n')).toContain('p.kir:1:10: error: dimension 2.5 in f32[2.5] is not a non-negative integer');
  });
});
