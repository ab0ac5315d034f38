// `kiln run --inputs` is strict: every malformed value is an error that names the
// input, the element and what was expected; NaN/±Inf travel as strings both ways. The bad cases
// are the classes a hostile-input probe found silently accepted.

import { describe, expect, it } from 'vitest';
import { KilnError, type DType, type GraphInput } from '@kiln/ir';
import { decodeInput, encodeElement } from '../../bin/commands/inputs-json.js';

const input = (dtype: DType, shape: number[]): GraphInput => ({ id: 0, name: 'x', type: { dtype, shape }, state: false });

function message(dtype: DType, shape: number[], v: unknown): string {
  try {
    decodeInput('in.json', input(dtype, shape), v);
  } catch (e) {
    if (e instanceof KilnError) return e.message;
    throw e;
  }
  throw new Error(`accepted ${JSON.stringify(v)} for ${dtype}[${shape.join(',')}]`);
}

describe('--inputs JSON: accepted forms', () => {
  it('takes exact nesting, or a flat array of exact length, in row-major order', () => {
    expect(
      decodeInput('in.json', input('f32', [2, 2]), [
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([1, 2, 3, 4]);
    expect(decodeInput('in.json', input('f32', [2, 2]), [1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
    expect(decodeInput('in.json', input('f32', []), 7)).toEqual([7]);
    expect(decodeInput('in.json', input('f32', []), [7])).toEqual([7]);
    expect(decodeInput('in.json', input('f32', [0, 3]), [])).toEqual([]);
  });

  it('reads "NaN", "Infinity", "-Infinity" for f32', () => {
    const got = decodeInput('in.json', input('f32', [3]), ['NaN', 'Infinity', '-Infinity']);
    expect(got[0]).toBeNaN();
    expect(got.slice(1)).toEqual([Infinity, -Infinity]);
  });

  it('takes integers at the ends of the i32 and u32 ranges, and booleans for bool', () => {
    expect(decodeInput('in.json', input('i32', [2]), [-2147483648, 2147483647])).toEqual([-2147483648, 2147483647]);
    expect(decodeInput('in.json', input('u32', [2]), [0, 4294967295])).toEqual([0, 4294967295]);
    expect(decodeInput('in.json', input('bool', [2]), [true, false])).toEqual([1, 0]);
  });
});

// [name, dtype, shape, value, phrase the error must contain]
const BAD: readonly (readonly [string, DType, number[], unknown, string])[] = [
  ['a string in f32 data', 'f32', [2], [1, 'a'], 'element 1 (at [1]) is string "a", expected a number'],
  ['a numeric string', 'f32', [2], [1, '2'], 'element 1 (at [1]) is string "2", expected a number'],
  ['lower-case nan', 'f32', [1], ['nan'], 'element 0 (at [0]) is string "nan"'],
  ['null in f32 data', 'f32', [2], [1, null], 'element 1 (at [1]) is null, expected a number'],
  ['an object in f32 data', 'f32', [2], [{}, 1], 'element 0 (at [0]) is an object'],
  ['a boolean in f32 data', 'f32', [2], [true, 1], 'element 0 (at [0]) is boolean true, expected a number'],
  ['a number past the f32 range', 'f32', [1], [1e39], 'expected a number within the f32 range'],
  ['a ragged array with the right count', 'f32', [2, 2], [[1, 2, 3], [4]], '[0] has 3 entries, axis 1 of f32[2,2] needs 2'],
  [
    'transposed nesting with the right count',
    'f32',
    [2, 3],
    [
      [1, 2],
      [3, 4],
      [5, 6],
    ],
    'the outer array has 3 entries, axis 0 of f32[2,3] needs 2',
  ],
  ['too deep', 'f32', [2], [[1], [2]], '[0] is an array nested deeper than f32[2]'],
  ['partly flat', 'f32', [2, 2], [[1, 2], 3, 4], 'the outer array has 3 entries'],
  ['a wrapped flat array', 'f32', [2, 2], [[1, 2, 3, 4]], 'the outer array has 1 entries'],
  ['too few', 'f32', [3], [1, 2], 'the outer array has 2 entries, axis 0 of f32[3] needs 3'],
  ['too many', 'f32', [3], [1, 2, 3, 4], 'has 4 entries'],
  ['one number filling a tensor', 'f32', [2, 2], 0.5, 'a single value does not fill a tensor'],
  ['a one-element array filling a tensor', 'f32', [3], [0.5], 'the outer array has 1 entries'],
  ['a float into i32', 'i32', [2], [1, 1.5], 'element 1 (at [1]) is number 1.5, expected an integer (i32)'],
  ['i32 overflow', 'i32', [1], [2147483648], 'expected an integer in i32 range [-2147483648, 2147483647]'],
  ['i32 underflow', 'i32', [1], [-2147483649], 'expected an integer in i32 range'],
  ['u32 negative', 'u32', [1], [-1], 'expected an integer in u32 range [0, 4294967295]'],
  ['u32 overflow', 'u32', [1], [4294967296], 'expected an integer in u32 range'],
  ['NaN string into i32', 'i32', [1], ['NaN'], 'expected an integer (i32)'],
  ['a boolean into i32', 'i32', [1], [true], 'expected an integer (i32)'],
  ['a number into bool', 'bool', [2], [1, 0], 'element 0 (at [0]) is number 1, expected true or false (bool)'],
  ['a string into bool', 'bool', [1], ['true'], 'expected true or false'],
  ['null for a whole input', 'f32', [2], null, 'is null, but f32[2] needs an array'],
  ['an object for a whole input', 'f32', [2], { data: [1, 2] }, 'is an object'],
  ['an array for a scalar', 'f32', [], [1, 2], 'is an array nested deeper than f32[]'],
];

describe('--inputs JSON: every malformed value is an error naming input, element and expectation', () => {
  it.each(BAD)('rejects %s', (_name, dtype, shape, value, phrase) => {
    const m = message(dtype, shape, value);
    expect(m).toMatch(/^in\.json: error: /);
    expect(m).toContain(phrase);
    expect(m).toContain('(value %x)');
  });
});

describe('result encoding', () => {
  it('prints NaN and ±Inf as strings, bools as booleans, and keeps finite numbers', () => {
    expect([NaN, Infinity, -Infinity, 1.5].map((x) => encodeElement(x, 'f32'))).toEqual(['NaN', 'Infinity', '-Infinity', 1.5]);
    expect([1, 0].map((x) => encodeElement(x, 'bool'))).toEqual([true, false]);
  });
});
