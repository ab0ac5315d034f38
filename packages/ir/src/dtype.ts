// IR element types. Every value in a Kiln graph has one of these dtypes and a static shape.
// The set is closed: f32 for math, i32/u32 for indices and random bits, bool for masks.

export const DTYPES = ['f32', 'i32', 'u32', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

export function isDType(s: string): s is DType {
  return (DTYPES as readonly string[]).includes(s);
}

/** Bytes per element as stored on the GPU (bool is widened to a 32-bit word there). */
export function dtypeBytes(_dtype: DType): number {
  return 4;
}

export function isNumeric(d: DType): boolean {
  return d !== 'bool';
}

export function isInteger(d: DType): boolean {
  return d === 'i32' || d === 'u32';
}
