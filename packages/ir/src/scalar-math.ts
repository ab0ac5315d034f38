// Scalar functions JavaScript's Math lacks, with the semantics WGSL uses, so the CPU interpreter
// (the oracle) and generated kernels agree: erf to ~1e-15, C99 pow, round half to even, stable logistic.

const TWO_OVER_SQRT_PI = 1.1283791670955126;

/** erf via its Maclaurin series for |x| < 3 and a Lentz continued fraction for erfc beyond. */
export function erf(x: number): number {
  // NaN, ±0 (sign kept) and ±Inf (±1: the continued fraction would give Inf·0 = NaN) are exact.
  if (Number.isNaN(x) || x === 0) return x;
  if (!Number.isFinite(x)) return x > 0 ? 1 : -1;
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = TWO_OVER_SQRT_PI * sum;
    return x < 0 ? -r : r;
  }
  const r = 1 - erfcLarge(ax);
  return x < 0 ? -r : r;
}

/** erfc(x) for x >= 3: exp(-x²)/sqrt(pi) · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))). */
function erfcLarge(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (f * Math.sqrt(Math.PI));
}

/**
 * pow with the C99 Annex F special cases (F.10.4.4). JS Math.pow agrees except that it gives NaN
 * for pow(1, y) with y NaN or ±Inf and for pow(-1, ±Inf), where C99 (and IEEE pow) give 1.
 */
export function powC99(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && (y === Infinity || y === -Infinity)) return 1;
  return Math.pow(x, y);
}

export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function logistic(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** WGSL integer division: truncates; division by zero yields the dividend. */
export function intDiv(a: number, b: number): number {
  return b === 0 ? a : Math.trunc(a / b);
}
