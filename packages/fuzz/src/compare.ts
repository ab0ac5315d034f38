// Output comparison for the fuzzer: same names, types and values; floats within a tolerance (the
// passes are exact except log(exp x) → x), NaN equal to NaN, infinities equal to themselves, and
// -0 distinct from +0 unless `signedZeros` is off (log(exp(-0)) is +0 but the rewrite gives -0).

import { formatType, typesEqual, type HostTensor } from '@kiln/ir';

export const ABS_TOLERANCE = 1e-5;
export const REL_TOLERANCE = 1e-5;

function close(a: number, b: number, exact: boolean, signedZeros: boolean): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return !signedZeros || a !== 0 || Object.is(a, b);
  if (exact || !Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= ABS_TOLERANCE + REL_TOLERANCE * Math.abs(b);
}

/** The first difference between two output sets, described; undefined when they agree. */
export function compareOutputs(expected: Readonly<Record<string, HostTensor>>, actual: Readonly<Record<string, HostTensor>>, signedZeros = true): string | undefined {
  for (const [name, want] of Object.entries(expected)) {
    const got = actual[name];
    if (got === undefined) return `output ${name} is missing`;
    if (!typesEqual(want.type, got.type)) return `output ${name} has type ${formatType(got.type)}, expected ${formatType(want.type)}`;
    const exact = want.type.dtype !== 'f32';
    for (let i = 0; i < want.data.length; i++) {
      const a = got.data[i]!;
      const b = want.data[i]!;
      if (!close(a, b, exact, signedZeros)) return `output ${name}[${i}] is ${fmt(a)}, expected ${fmt(b)}`;
    }
  }
  const extra = Object.keys(actual).find((k) => !(k in expected));
  return extra === undefined ? undefined : `unexpected output ${extra}`;
}

function fmt(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}
