// Parity cases for every elementwise op, over each dtype it accepts, with the edge values the
// reference semantics pin down: erf/log1p/expm1 accuracy, round ties to even, stable logistic/tanh,
// integer division by zero and wrapping, saturating float→int casts.

import type { DType } from '@kiln/ir';
import { arg, floats, opCase, sampled, type PrimitiveCase } from './case-builder.js';
import { EXACT, F32_TOL, bool, f32, i32, t, u32, type Tolerance } from './helpers.js';

/** Transcendentals: WGSL builtins on llvmpipe are accurate to a few ulp. */
const MATH_TOL: Tolerance = { rtol: 1e-5, atol: 1e-6 };
const S = [5, 13];

function unaryF32(
  op: 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'sin' | 'cos' | 'tanh' | 'logistic' | 'erf',
  lo: number,
  hi: number,
  fixed: readonly number[],
  tol = MATH_TOL,
): PrimitiveCase[] {
  return [opCase(op, 'f32', [floats(f32(...S), 11, lo, hi, fixed)], {}, tol)];
}

const TINY = [1e-7, -1e-7, 3e-5, -3e-5, 1e-3, -1e-3, 0.49, -0.49, 0.51, -0.51, 0];

function binaryAll(op: 'add' | 'sub' | 'mul' | 'max' | 'min', dtypes: readonly DType[]): PrimitiveCase[] {
  return dtypes.map((d) => {
    const ty = t(d, S);
    const fixedA = d === 'i32' ? [2147483647, -2147483648, 65536, -7] : d === 'u32' ? [4294967295, 0, 65536, 3] : [1.5, -0, 3];
    const fixedB = d === 'i32' ? [1, -1, 65536, 7] : d === 'u32' ? [1, 1, 65536, 5] : [2.25, 0, -3];
    return opCase(op, d, [sampled(ty, 1, -2, 2, fixedA), sampled(ty, 2, -2, 2, fixedB)], {}, d === 'f32' ? F32_TOL : EXACT);
  });
}

function compare(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', dtypes: readonly DType[]): PrimitiveCase[] {
  return dtypes.map((d) => {
    const ty = t(d, S);
    // Small integer-valued samples make equal pairs common.
    const a = sampled(ty, 3, -2, 2, [1, 0, 1]);
    const b = sampled(ty, 4, -2, 2, [1, 0, 0]);
    const round = (x: number): number => (d === 'f32' ? Math.round(x) : x);
    return opCase(op, d, [arg(ty, a.data.map(round)), arg(ty, b.data.map(round))], {}, EXACT);
  });
}

const CAST_SOURCES: Readonly<Record<DType, readonly number[]>> = {
  f32: [3e9, -3e9, Number.NaN, 2.7, -2.7, 1e10, -0.5, 4294967296, 2147483520, -2147483648, 0, 1],
  i32: [-2147483648, 2147483647, -1, 0, 1, 16777217, -5],
  u32: [4294967295, 2147483648, 0, 1, 16777217, 5],
  bool: [0, 1, 1, 0],
};

function castCases(): PrimitiveCase[] {
  const out: PrimitiveCase[] = [];
  for (const from of ['f32', 'i32', 'u32', 'bool'] as const)
    for (const to of ['f32', 'i32', 'u32', 'bool'] as const) {
      const data = CAST_SOURCES[from];
      out.push(opCase('cast', `${from}_to_${to}`, [arg(t(from, [data.length]), data)], { dtype: to }, EXACT));
    }
  return out;
}

export const elementwiseCases = {
  neg: [
    opCase('neg', 'f32', [sampled(f32(...S), 1)], {}, EXACT),
    opCase('neg', 'i32', [sampled(i32(...S), 1, -2, 2, [-2147483648])], {}, EXACT),
    opCase('neg', 'u32', [sampled(u32(...S), 1, -2, 2, [1, 0])], {}, EXACT),
  ],
  abs: [
    opCase('abs', 'f32', [sampled(f32(...S), 2)], {}, EXACT),
    opCase('abs', 'i32', [sampled(i32(...S), 2, -2, 2, [-2147483648])], {}, EXACT),
    opCase('abs', 'u32', [sampled(u32(...S), 2)], {}, EXACT),
  ],
  sign: [
    opCase('sign', 'f32', [sampled(f32(...S), 3, -2, 2, [0, -0, 1e-30])], {}, EXACT),
    opCase('sign', 'i32', [sampled(i32(...S), 3, -2, 2, [0])], {}, EXACT),
    opCase('sign', 'u32', [sampled(u32(...S), 3, -2, 2, [0])], {}, EXACT),
  ],
  exp: unaryF32('exp', -10, 10, [0, 1, -1, 88]),
  log: unaryF32('log', 0.01, 10, [1, 2.718281828, 1e-30]),
  log1p: unaryF32('log1p', -0.9, 3, TINY),
  expm1: unaryF32('expm1', -3, 3, TINY),
  sqrt: unaryF32('sqrt', 0, 10, [0, 1, 4, 1e-30]),
  rsqrt: unaryF32('rsqrt', 0.01, 10, [1, 4, 0.25]),
  sin: unaryF32('sin', -4, 4, [0, 1e-7, 3.14159265], { rtol: 1e-5, atol: 2e-6 }),
  cos: unaryF32('cos', -4, 4, [0, 1e-7, 3.14159265], { rtol: 1e-5, atol: 2e-6 }),
  tanh: unaryF32('tanh', -20, 20, [...TINY, 50, -50, 100]),
  logistic: unaryF32('logistic', -30, 30, [...TINY, 100, -100, -88, 88]),
  erf: unaryF32('erf', -5, 5, [...TINY, 0.999, 1, 1.001, -1, 2, 3, 4, 6, -6]),
  floor: [opCase('floor', 'f32', [sampled(f32(...S), 5, -5, 5, [-2.5, -0.5, 0.5, 2.5, -0, 1e9])], {}, EXACT)],
  ceil: [opCase('ceil', 'f32', [sampled(f32(...S), 6, -5, 5, [-2.5, -0.5, 0.5, 2.5, -0, 1e9])], {}, EXACT)],
  round: [opCase('round', 'f32', [sampled(f32(...S), 7, -5, 5, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, -3.5, 0.49999997, 1e9])], {}, EXACT)],
  not: [opCase('not', 'bool', [sampled(bool(...S), 8)], {}, EXACT), opCase('not', 'i32', [sampled(i32(...S), 8)], {}, EXACT), opCase('not', 'u32', [sampled(u32(...S), 8)], {}, EXACT)],

  add: binaryAll('add', ['f32', 'i32', 'u32']),
  sub: binaryAll('sub', ['f32', 'i32', 'u32']),
  mul: binaryAll('mul', ['f32', 'i32', 'u32']),
  div: [
    opCase('div', 'f32', [sampled(f32(...S), 9), floats(f32(...S), 10, 0.5, 3)], {}, F32_TOL),
    opCase('div', 'f32_by_zero', [arg(f32(4), [1, -1, 0, 5]), arg(f32(4), [0, 0, 0, -0])], {}, EXACT),
    opCase('div', 'i32', [arg(i32(8), [7, -7, 7, -7, 5, -2147483648, -2147483648, 0]), arg(i32(8), [2, 2, -2, -2, 0, -1, 0, 0])], {}, EXACT),
    opCase('div', 'u32', [arg(u32(5), [7, 4294967295, 5, 0, 9]), arg(u32(5), [2, 3, 0, 0, 10])], {}, EXACT),
  ],
  pow: [
    opCase('pow', 'positive_base', [floats(f32(...S), 12, 0.1, 3), floats(f32(...S), 13, -2, 2)], {}, MATH_TOL),
    opCase('pow', 'special', [arg(f32(10), [-2, -2, -2, 0, 0, 0, 3, -0.5, 1, 2]), arg(f32(10), [3, 2, 0.5, 0, 2, -1, 0, -3, 7.5, 10])], {}, MATH_TOL),
  ],
  max: [...binaryAll('max', ['f32', 'i32', 'u32']), opCase('max', 'nan', [arg(f32(4), [Number.NaN, 1, Number.NaN, -0]), arg(f32(4), [1, Number.NaN, Number.NaN, 0])], {}, EXACT)],
  min: [...binaryAll('min', ['f32', 'i32', 'u32']), opCase('min', 'nan', [arg(f32(3), [Number.NaN, 1, Number.NaN]), arg(f32(3), [1, Number.NaN, Number.NaN])], {}, EXACT)],
  eq: compare('eq', ['f32', 'i32', 'u32', 'bool']),
  ne: compare('ne', ['f32', 'i32', 'u32', 'bool']),
  lt: compare('lt', ['f32', 'i32', 'u32']),
  le: compare('le', ['f32', 'i32', 'u32']),
  gt: compare('gt', ['f32', 'i32', 'u32']),
  ge: compare('ge', ['f32', 'i32', 'u32']),
  and: [
    opCase('and', 'bool', [sampled(bool(...S), 14), sampled(bool(...S), 15)], {}, EXACT),
    opCase('and', 'i32', [sampled(i32(...S), 14), sampled(i32(...S), 15)], {}, EXACT),
    opCase('and', 'u32', [sampled(u32(...S), 14), sampled(u32(...S), 15)], {}, EXACT),
  ],
  or: [
    opCase('or', 'bool', [sampled(bool(...S), 16), sampled(bool(...S), 17)], {}, EXACT),
    opCase('or', 'i32', [sampled(i32(...S), 16), sampled(i32(...S), 17)], {}, EXACT),
    opCase('or', 'u32', [sampled(u32(...S), 16), sampled(u32(...S), 17)], {}, EXACT),
  ],
  select: [
    opCase('select', 'f32', [sampled(bool(...S), 18), sampled(f32(...S), 19), sampled(f32(...S), 20)], {}, EXACT),
    opCase('select', 'i32', [sampled(bool(...S), 21), sampled(i32(...S), 22), sampled(i32(...S), 23)], {}, EXACT),
    opCase('select', 'bool', [sampled(bool(...S), 24), sampled(bool(...S), 25), sampled(bool(...S), 26)], {}, EXACT),
  ],
  cast: castCases(),
  stop_gradient: [opCase('stop_gradient', 'f32', [sampled(f32(...S), 27)], {}, EXACT)],
};
