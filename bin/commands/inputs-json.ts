// Strict decoding of `--inputs` JSON for `kiln run` / `run-parity`, and encoding of results:
// numbers only (NaN and ±Inf as the strings "NaN", "Infinity", "-Infinity"), exact nesting or a
// flat array of exact length, booleans only for bool, in-range integers for i32/u32, no scalar fill.

import { KilnError, formatType, numel, type DType, type GraphInput, type TensorType } from '@kiln/ir';

const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const INT_RANGE: Readonly<Record<'i32' | 'u32', readonly [number, number]>> = { i32: [-(2 ** 31), 2 ** 31 - 1], u32: [0, 2 ** 32 - 1] };

/** The flat row-major values of one input, or a KilnError naming the input, the element and what was expected. */
export function decodeInput(file: string, inp: GraphInput, v: unknown): number[] {
  const t = inp.type;
  const fail = (message: string): never => {
    throw new KilnError({ file, value: `%${inp.name}`, message });
  };
  const want = numel(t.shape);
  let items: { v: unknown; path: string }[];
  if (isFlat(v, t) && Array.isArray(v)) items = (v as readonly unknown[]).map((x, i) => ({ v: x, path: `[${i}]` }));
  else items = nestedItems(v, t, fail);
  if (items.length !== want) fail(`has ${items.length} values, ${formatType(t)} needs ${want}`);
  return items.map((item, i) =>
    element(item.v, t.dtype, (what) => fail(`element ${i} (${item.path === '' ? 'the value' : `at ${item.path}`}) is ${describe(item.v)}, expected ${what}`)),
  );
}

/** A flat array: length numel and no nested arrays (for rank <= 1 this is also the exact nesting). */
function isFlat(v: unknown, t: TensorType): boolean {
  return Array.isArray(v) && v.length === numel(t.shape) && !v.some(Array.isArray) && !(t.shape.length === 0 && v.length !== 1);
}

/** The elements of `v` nested exactly as the shape says; a wrong length or depth is an error at its path. */
function nestedItems(v: unknown, t: TensorType, fail: (m: string) => never): { v: unknown; path: string }[] {
  const out: { v: unknown; path: string }[] = [];
  const walk = (x: unknown, axis: number, path: string): void => {
    if (axis === t.shape.length) {
      if (Array.isArray(x)) fail(`${path === '' ? 'the value' : `${path}`} is an array nested deeper than ${formatType(t)} (expected a single element there)`);
      out.push({ v: x, path });
      return;
    }
    const d = t.shape[axis];
    if (!Array.isArray(x)) {
      if (axis === 0)
        fail(
          `is ${describe(x)}, but ${formatType(t)} needs an array nested ${t.shape.length} deep (or a flat array of ${numel(t.shape)} values); a single value does not fill a tensor`,
        );
      fail(`${path} is ${describe(x)}, expected an array of ${String(d)} (axis ${axis} of ${formatType(t)})`);
    }
    if (x.length !== d)
      fail(
        `${path === '' ? 'the outer array' : path} has ${x.length} entries, axis ${axis} of ${formatType(t)} needs ${String(d)} (nesting must match the shape, or give a flat array of ${numel(t.shape)})`,
      );
    x.forEach((y, i) => walk(y, axis + 1, `${path}[${i}]`));
  };
  walk(v, 0, '');
  return out;
}

function element(v: unknown, dtype: DType, bad: (what: string) => never): number {
  switch (dtype) {
    case 'f32': {
      if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v] ?? bad('a number');
      if (typeof v !== 'number') return bad('a number (or "NaN", "Infinity", "-Infinity")');
      if (!Number.isFinite(Math.fround(v))) return bad(`a number within the f32 range (±${3.4028234663852886e38})`);
      return v;
    }
    case 'i32':
    case 'u32': {
      const [lo, hi] = INT_RANGE[dtype];
      if (typeof v !== 'number' || !Number.isInteger(v)) return bad(`an integer (${dtype})`);
      if (v < lo || v > hi) return bad(`an integer in ${dtype} range [${lo}, ${hi}]`);
      return v;
    }
    case 'bool':
      return typeof v === 'boolean' ? (v ? 1 : 0) : bad('true or false (bool)');
    default: {
      const never: never = dtype;
      return never;
    }
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${JSON.stringify(v)}`;
}

export type JsonValue = number | string | boolean | JsonValue[];

/** A result element as JSON: bools as booleans, NaN and ±Inf as the strings "NaN", "Infinity", "-Infinity". */
export function encodeElement(x: number, dtype: DType): number | string | boolean {
  if (dtype === 'bool') return x !== 0;
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
}
