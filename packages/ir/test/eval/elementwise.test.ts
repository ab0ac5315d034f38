// Elementwise eval rules: every unary/binary op, select, cast and stop_gradient on small tensors
// whose expected values were worked out by hand, plus integer wrapping and f64 precision.

import { describe, expect, it } from 'vitest';
import { arg, bool, evalNums, evalOp, f32, i32, u32 } from './helpers.js';

const close = (got: number[], want: number[], digits = 6): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, digits));
};

describe('unary ops', () => {
  it('neg: negates floats and ints', () => {
    expect(evalNums('neg', [arg(f32(3), [1, -2.5, 4])], {})).toEqual([-1, 2.5, -4]);
    expect(evalNums('neg', [arg(i32(2), [-2147483648, 7])], {})).toEqual([-2147483648, -7]);
  });
  it('abs: absolute value', () => {
    expect(evalNums('abs', [arg(f32(3), [-3, 2, -0.5])], {})).toEqual([3, 2, 0.5]);
    expect(evalNums('abs', [arg(i32(1), [-5])], {})).toEqual([5]);
  });
  it('sign: -1/0/1, NaN stays NaN', () => {
    expect(evalNums('sign', [arg(f32(4), [-2, 0, 3.5, NaN])], {})).toEqual([-1, 0, 1, NaN]);
    expect(evalNums('sign', [arg(i32(3), [-9, 0, 4])], {})).toEqual([-1, 0, 1]);
  });
  it('exp, log: inverse pair at 0, 1 and e', () => {
    close(evalNums('exp', [arg(f32(2), [0, 1])], {}), [1, Math.E]);
    close(evalNums('log', [arg(f32(3), [1, Math.E, 0])], {}).slice(0, 2), [0, 1]);
    expect(evalNums('log', [arg(f32(1), [0])], {})).toEqual([-Infinity]);
  });
  it('log1p, expm1: accurate near zero (f64 mode)', () => {
    const lp = evalNums('log1p', [arg(f32(2), [1e-10, 1])], {}, { precision: 'f64' });
    expect(lp[0]! / 1e-10).toBeCloseTo(1, 9);
    expect(lp[1]).toBeCloseTo(Math.LN2, 12);
    const em = evalNums('expm1', [arg(f32(2), [1e-10, 1])], {}, { precision: 'f64' });
    expect(em[0]! / 1e-10).toBeCloseTo(1, 9);
    expect(em[1]).toBeCloseTo(Math.E - 1, 12);
  });
  it('sqrt, rsqrt: 4 -> 2 and 0.5', () => {
    close(evalNums('sqrt', [arg(f32(2), [4, 2])], {}), [2, 1.4142135]);
    expect(evalNums('rsqrt', [arg(f32(2), [4, 0.25])], {})).toEqual([0.5, 2]);
  });
  it('sin, cos: at 0 and pi/2', () => {
    close(evalNums('sin', [arg(f32(2), [0, Math.PI / 2])], {}), [0, 1]);
    close(evalNums('cos', [arg(f32(2), [0, Math.PI])], {}), [1, -1]);
  });
  it('tanh, logistic: known values', () => {
    close(evalNums('tanh', [arg(f32(2), [0, 1])], {}), [0, 0.7615941559557649]);
    // logistic(2) = 1/(1+e^-2) = 0.8807970779778823; logistic(-800) must not overflow to NaN.
    close(evalNums('logistic', [arg(f32(3), [0, 2, -800])], {}), [0.5, 0.8807970779778823, 0]);
  });
  it('erf: erf(0)=0, erf(1)=0.8427007929, odd', () => {
    close(evalNums('erf', [arg(f32(3), [0, 1, -0.5])], {}), [0, 0.8427007929497149, -0.5204998778130465]);
  });
  it('floor, ceil: toward -inf / +inf', () => {
    expect(evalNums('floor', [arg(f32(3), [1.5, -1.5, 2])], {})).toEqual([1, -2, 2]);
    expect(evalNums('ceil', [arg(f32(3), [1.5, -1.5, 2])], {})).toEqual([2, -1, 2]);
  });
  it('round: half to even', () => {
    expect(evalNums('round', [arg(f32(5), [0.5, 1.5, 2.5, -2.5, 1.4])], {})).toEqual([0, 2, 2, -2, 1]);
  });
  it('not: logical on bool, bitwise on ints', () => {
    expect(evalNums('not', [arg(bool(2), [0, 1])], {})).toEqual([1, 0]);
    expect(evalNums('not', [arg(i32(2), [0, 5])], {})).toEqual([-1, -6]);
    expect(evalNums('not', [arg(u32(1), [0])], {})).toEqual([4294967295]);
  });
  it('stop_gradient: identity', () => {
    expect(evalNums('stop_gradient', [arg(f32(2), [1.25, -3])], {})).toEqual([1.25, -3]);
  });
});

describe('binary ops', () => {
  it('add: floats, and i32 overflow wraps', () => {
    expect(evalNums('add', [arg(f32(2), [1, 2]), arg(f32(2), [3, 4.5])], {})).toEqual([4, 6.5]);
    expect(evalNums('add', [arg(i32(1), [2147483647]), arg(i32(1), [1])], {})).toEqual([-2147483648]);
  });
  it('sub: floats, and u32 underflow wraps', () => {
    expect(evalNums('sub', [arg(f32(2), [1, 2]), arg(f32(2), [3, 0.5])], {})).toEqual([-2, 1.5]);
    expect(evalNums('sub', [arg(u32(1), [0]), arg(u32(1), [1])], {})).toEqual([4294967295]);
  });
  it('mul: floats; int wrapping mul keeps the low 32 bits', () => {
    expect(evalNums('mul', [arg(f32(2), [1.5, -2]), arg(f32(2), [4, 3])], {})).toEqual([6, -6]);
    // 123456789 * 1000 = 123456789000 = 28 * 2^32 + 3197704712; as i32: 3197704712 - 2^32.
    expect(evalNums('mul', [arg(i32(2), [65536, 123456789]), arg(i32(2), [65536, 1000])], {})).toEqual([0, -1097262584]);
    // (2^32 - 1) * 2 = 2^33 - 2 ≡ 2^32 - 2 (mod 2^32).
    expect(evalNums('mul', [arg(u32(1), [4294967295]), arg(u32(1), [2])], {})).toEqual([4294967294]);
  });
  it('div: float division; int div truncates and x/0 = x', () => {
    expect(evalNums('div', [arg(f32(2), [7, 1]), arg(f32(2), [2, 0])], {})).toEqual([3.5, Infinity]);
    expect(evalNums('div', [arg(i32(4), [7, -7, 5, -3]), arg(i32(4), [2, 2, 0, 0])], {})).toEqual([3, -3, 5, -3]);
    expect(evalNums('div', [arg(u32(2), [4294967295, 9]), arg(u32(2), [2, 0])], {})).toEqual([2147483647, 9]);
  });
  it('pow: 2^3 and 9^0.5', () => {
    expect(evalNums('pow', [arg(f32(2), [2, 9]), arg(f32(2), [3, 0.5])], {})).toEqual([8, 3]);
  });
  it('max, min: elementwise, NaN propagates', () => {
    expect(evalNums('max', [arg(f32(3), [1, 5, NaN]), arg(f32(3), [3, 2, 1])], {})).toEqual([3, 5, NaN]);
    expect(evalNums('min', [arg(f32(3), [1, 5, 1]), arg(f32(3), [3, 2, NaN])], {})).toEqual([1, 2, NaN]);
    expect(evalNums('max', [arg(i32(2), [-4, 2]), arg(i32(2), [-5, 3])], {})).toEqual([-4, 3]);
  });
  it('eq, ne, lt, le, gt, ge: bool results', () => {
    const a = arg(f32(3), [1, 2, 3]);
    const b = arg(f32(3), [2, 2, 2]);
    const r = evalOp('lt', [a, b], {});
    expect(r.type.dtype).toBe('bool');
    expect(r.data).toBeInstanceOf(Uint8Array);
    expect(evalNums('eq', [a, b], {})).toEqual([0, 1, 0]);
    expect(evalNums('ne', [a, b], {})).toEqual([1, 0, 1]);
    expect(evalNums('lt', [a, b], {})).toEqual([1, 0, 0]);
    expect(evalNums('le', [a, b], {})).toEqual([1, 1, 0]);
    expect(evalNums('gt', [a, b], {})).toEqual([0, 0, 1]);
    expect(evalNums('ge', [a, b], {})).toEqual([0, 1, 1]);
    // u32 compares as unsigned: 2^32-1 > 1.
    expect(evalNums('gt', [arg(u32(1), [4294967295]), arg(u32(1), [1])], {})).toEqual([1]);
  });
  it('and, or: logical on bool, bitwise on ints', () => {
    const p = arg(bool(4), [0, 0, 1, 1]);
    const q = arg(bool(4), [0, 1, 0, 1]);
    expect(evalNums('and', [p, q], {})).toEqual([0, 0, 0, 1]);
    expect(evalNums('or', [p, q], {})).toEqual([0, 1, 1, 1]);
    expect(evalNums('and', [arg(i32(1), [12]), arg(i32(1), [10])], {})).toEqual([8]);
    expect(evalNums('or', [arg(i32(1), [12]), arg(i32(1), [10])], {})).toEqual([14]);
  });
  it('select: picks a where p, else b', () => {
    expect(evalNums('select', [arg(bool(3), [1, 0, 1]), arg(f32(3), [1, 2, 3]), arg(f32(3), [4, 5, 6])], {})).toEqual([1, 5, 3]);
    expect(evalNums('select', [arg(bool(2), [0, 1]), arg(i32(2), [-1, -2]), arg(i32(2), [7, 8])], {})).toEqual([7, -2]);
  });
});

describe('cast', () => {
  it('cast: f32 -> i32 truncates toward zero, clamps, NaN -> 0', () => {
    expect(evalNums('cast', [arg(f32(5), [1.7, -1.7, NaN, 3e9, -3e9])], { dtype: 'i32' })).toEqual([1, -1, 0, 2147483647, -2147483648]);
  });
  it('cast: f32 -> u32 clamps to [0, 2^32-1]', () => {
    expect(evalNums('cast', [arg(f32(4), [-1.5, 2.9, 3e9, 5e9])], { dtype: 'u32' })).toEqual([0, 2, 3000000000, 4294967295]);
  });
  it('cast: i32 <-> u32 reinterprets the bits', () => {
    expect(evalNums('cast', [arg(i32(2), [-1, 5])], { dtype: 'u32' })).toEqual([4294967295, 5]);
    expect(evalNums('cast', [arg(u32(1), [4294967295])], { dtype: 'i32' })).toEqual([-1]);
  });
  it('cast: number -> bool is x != 0, bool -> number is 0/1', () => {
    expect(evalNums('cast', [arg(f32(4), [0, -0.5, NaN, 2])], { dtype: 'bool' })).toEqual([0, 1, 1, 1]);
    expect(evalNums('cast', [arg(i32(2), [0, -3])], { dtype: 'bool' })).toEqual([0, 1]);
    expect(evalNums('cast', [arg(bool(2), [1, 0])], { dtype: 'f32' })).toEqual([1, 0]);
    expect(evalNums('cast', [arg(bool(2), [1, 0])], { dtype: 'i32' })).toEqual([1, 0]);
  });
  it('cast: i32 -> f32 rounds to f32 in f32 mode, exact in f64 mode', () => {
    expect(evalNums('cast', [arg(i32(1), [16777217])], { dtype: 'f32' })).toEqual([16777216]);
    expect(evalNums('cast', [arg(i32(1), [16777217])], { dtype: 'f32' }, { precision: 'f64' })).toEqual([16777217]);
  });
});

describe('precision modes', () => {
  it('add: f64 mode keeps 1 + 1e-10, f32 mode rounds it to 1', () => {
    const args = [arg(f32(1), [1]), arg(f32(1), [1e-10])];
    const hi = evalOp('add', args, {}, { precision: 'f64' });
    expect(hi.data).toBeInstanceOf(Float64Array);
    expect(hi.data[0]).toBe(1 + 1e-10);
    const lo = evalOp('add', args, {});
    expect(lo.data).toBeInstanceOf(Float32Array);
    expect(lo.data[0]).toBe(1);
  });
  it('mul: f32 mode rounds every result to f32', () => {
    // 0.1 is not an f32; its f32 value times 3 rounds again.
    expect(evalNums('mul', [arg(f32(1), [0.1]), arg(f32(1), [3])], {})).toEqual([Math.fround(Math.fround(0.1) * 3)]);
    expect(evalNums('mul', [arg(f32(1), [0.1]), arg(f32(1), [3])], {}, { precision: 'f64' })).toEqual([0.1 * 3]);
  });
});
