// IR dtypes in WGSL: bool is a WGSL `bool` inside expressions and a u32 word (0/1) in buffers;
// literals for every dtype, with non-finite floats read from a private word (WGSL const-eval
// rejects inf/nan, so they must reach the shader as runtime values).

import { convertScalar, type DType } from '@kiln/ir';

export type WgslScalar = 'f32' | 'i32' | 'u32' | 'bool';
export type WgslStorageScalar = 'f32' | 'i32' | 'u32';

export function valueType(d: DType): WgslScalar {
  return d;
}

export function storageType(d: DType): WgslStorageScalar {
  return d === 'bool' ? 'u32' : d;
}

/** Expression converting a buffer element `raw` (storage type) to the value type. */
export function fromStorage(d: DType, raw: string): string {
  return d === 'bool' ? `(${raw} != 0u)` : raw;
}

/** Expression converting a value to its storage word. */
export function toStorage(d: DType, value: string): string {
  return d === 'bool' ? `select(0u, 1u, ${value})` : value;
}

const I32_MIN = -2147483648;
const U32_MAX = 4294967295;

/**
 * A number converted the way a store of `dtype` converts it: the reference evaluator's
 * conversion (convertScalar, shared with the interpreter and constant folding), with f32 rounded
 * to single precision since the shader holds it as an f32 literal or word.
 */
export function convertForDType(d: DType, x: number): number {
  return d === 'f32' ? Math.fround(x) : convertScalar(d, x);
}

/** The 32-bit word a value of `dtype` is stored as (after conversion). */
export function storageBits(d: DType, x: number): number {
  const v = convertForDType(d, x);
  if (d === 'f32') {
    const f = new Float32Array([v]);
    return new Uint32Array(f.buffer)[0]!;
  }
  return v >>> 0;
}

/**
 * A WGSL literal for `x` as `dtype` (converted first). Non-finite f32 values and -0 become
 * `bitcast<f32>(kiln_bits(0x...u))`, which is not a const-expression.
 */
export function literal(d: DType, x: number): string {
  const v = convertForDType(d, x);
  switch (d) {
    case 'f32': {
      if (!Number.isFinite(v)) return `bitcast<f32>(kiln_bits(0x${storageBits('f32', v).toString(16)}u))`;
      // -0 by its bits too: the GL backend's compiler turns the literal -0.0 into +0.
      if (Object.is(v, -0)) return 'bitcast<f32>(kiln_bits(0x80000000u))';
      const text = `${String(Math.abs(v))}f`;
      return v < 0 ? `(-${text})` : text;
    }
    case 'i32':
      if (v === I32_MIN) return '(-2147483647i - 1i)';
      return v < 0 ? `(${v}i)` : `${v}i`;
    case 'u32':
      return `${v}u`;
    case 'bool':
      return v !== 0 ? 'true' : 'false';
    default: {
      const never: never = d;
      return never;
    }
  }
}

export function u32Lit(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > U32_MAX) throw new Error(`internal: ${n} is not a u32 index`);
  return `${n}u`;
}

/**
 * A u32 literal for a divisor or modulus: zero-size dims make some divisors 0 in code that
 * never runs, but WGSL rejects division by a constant 0 at shader creation, so use 1 there.
 */
export function divisorLit(n: number): string {
  return u32Lit(Math.max(1, n));
}
