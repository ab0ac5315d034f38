// The special-value table: every f32 elementwise op on ±0, ±Inf, NaN and a few
// ordinary values, against an independent IEEE 754 / C99 reference (JS Math in f64, rounded to
// f32, plus the C99 rules JS lacks: pow(±1, ±Inf) = 1, pow(1, NaN) = 1, erf(±Inf) = ±1, ...).

import { GraphBuilder, type Graph, type OpKind } from '@kiln/ir';

export const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 1e30] as const;

/** C99 Annex F pow (7.12.7.4): JS Math.pow differs only for base ±1 with exponent NaN/±Inf. */
export function c99Pow(x: number, y: number): number {
  if (x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  if (y === 0) return 1;
  return Math.pow(x, y);
}

function erfRef(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return -1;
  if (x === 0) return x;
  // Only the special cases are compared exactly; the ordinary values use a tolerance.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

function roundEven(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const r = Math.round(x);
  const v = Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return v === 0 ? (x < 0 ? -0 : 0) : v;
}

export const UNARY = {
  neg: (x: number) => -x,
  abs: Math.abs,
  sign: (x: number) => (x > 0 ? 1 : x < 0 ? -1 : x),
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sqrt: Math.sqrt,
  rsqrt: (x: number) => 1 / Math.sqrt(x),
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  logistic: (x: number) => (Number.isNaN(x) ? NaN : x === Infinity ? 1 : x === -Infinity ? 0 : 1 / (1 + Math.exp(-x))),
  erf: erfRef,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundEven,
} as const satisfies Partial<Record<OpKind, (x: number) => number>>;

export const BINARY = {
  add: (a: number, b: number) => a + b,
  sub: (a: number, b: number) => a - b,
  mul: (a: number, b: number) => a * b,
  div: (a: number, b: number) => a / b,
  pow: c99Pow,
  max: (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  min: (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  eq: (a: number, b: number) => (a === b ? 1 : 0),
  ne: (a: number, b: number) => (a !== b ? 1 : 0),
  lt: (a: number, b: number) => (a < b ? 1 : 0),
  le: (a: number, b: number) => (a <= b ? 1 : 0),
  gt: (a: number, b: number) => (a > b ? 1 : 0),
  ge: (a: number, b: number) => (a >= b ? 1 : 0),
} as const satisfies Partial<Record<OpKind, (a: number, b: number) => number>>;

export type UnaryOp = keyof typeof UNARY;
export type BinaryOp = keyof typeof BINARY;

/** IEEE class of a value: exact for NaN, ±Inf and ±0; 'finite' otherwise (compared with a tolerance). */
export function valueClass(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '+0';
  return 'finite';
}

export interface Check {
  readonly label: string;
  readonly want: number;
}

/** Does `got` match `want`: same IEEE class, and finite values within rtol (looser for approximations). */
export function agrees(got: number, want: number, rtol: number): boolean {
  if (valueClass(got) !== valueClass(want)) return false;
  if (valueClass(want) !== 'finite') return true;
  return Math.abs(got - want) <= 1e-6 + rtol * Math.abs(want);
}

/** A one-op graph over all operand combinations: x (and y) hold the combinations, %r the result. */
export function opGraph(op: UnaryOp | BinaryOp): Graph {
  const b = new GraphBuilder(`special_${op}`);
  const n = op in UNARY ? SPECIAL.length : SPECIAL.length ** 2;
  const x = b.input('x', { dtype: 'f32', shape: [n] });
  if (op in UNARY) b.output(b.add(op as UnaryOp, [x], {}), 'r');
  else b.output(b.add(op as BinaryOp, [x, b.input('y', { dtype: 'f32', shape: [n] })], {}), 'r');
  return b.build();
}

/** Inputs and reference results for `opGraph(op)`, in element order. */
export function opCases(op: UnaryOp | BinaryOp): { inputs: Record<string, number[]>; checks: Check[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const checks: Check[] = [];
  for (const a of SPECIAL) {
    if (op in UNARY) {
      xs.push(a);
      checks.push({ label: `${op}(${fmt(a)})`, want: Math.fround(UNARY[op as UnaryOp](Math.fround(a))) });
      continue;
    }
    for (const c of SPECIAL) {
      xs.push(a);
      ys.push(c);
      checks.push({ label: `${op}(${fmt(a)}, ${fmt(c)})`, want: Math.fround(BINARY[op as BinaryOp](Math.fround(a), Math.fround(c))) });
    }
  }
  return { inputs: op in UNARY ? { x: xs } : { x: xs, y: ys }, checks };
}

export function fmt(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/**
 * Patterns a driver's fast-math may fold (x*0 → 0, x-x → 0, x+0 → x, x/x → 1): each written
 * with an inlined constant or a repeated operand, as fusion emits them.
 */
export const PATTERNS: readonly { readonly name: string; readonly ref: (x: number) => number; readonly ir: string }[] = [
  { name: 'x*0', ref: (x) => x * 0, ir: '%c: f32[N] = constant {value=0}\n  %r: f32[N] = mul %x, %c' },
  { name: '0*x', ref: (x) => 0 * x, ir: '%c: f32[N] = constant {value=0}\n  %r: f32[N] = mul %c, %x' },
  { name: 'x*-0', ref: (x) => x * -0, ir: '%c: f32[N] = constant {value=-0}\n  %r: f32[N] = mul %x, %c' },
  { name: 'x-x', ref: (x) => x - x, ir: '%r: f32[N] = sub %x, %x' },
  { name: 'x+(-x)', ref: (x) => x + -x, ir: '%n: f32[N] = neg %x\n  %r: f32[N] = add %x, %n' },
  { name: 'x/x', ref: (x) => x / x, ir: '%r: f32[N] = div %x, %x' },
  { name: 'x+0', ref: (x) => x + 0, ir: '%c: f32[N] = constant {value=0}\n  %r: f32[N] = add %x, %c' },
  { name: 'x-0', ref: (x) => x - 0, ir: '%c: f32[N] = constant {value=0}\n  %r: f32[N] = sub %x, %c' },
  { name: '0-x', ref: (x) => 0 - x, ir: '%c: f32[N] = constant {value=0}\n  %r: f32[N] = sub %c, %x' },
  { name: 'x*1', ref: (x) => x * 1, ir: '%c: f32[N] = constant {value=1}\n  %r: f32[N] = mul %x, %c' },
  { name: 'x==x', ref: (x) => (x === x ? 1 : 0), ir: '%b: bool[N] = eq %x, %x\n  %r: f32[N] = cast %b {dtype=f32}' },
  { name: 'x!=x', ref: (x) => (x !== x ? 1 : 0), ir: '%b: bool[N] = ne %x, %x\n  %r: f32[N] = cast %b {dtype=f32}' },
  { name: 'max(x,x)', ref: (x) => x, ir: '%r: f32[N] = max %x, %x' },
  { name: 'x*0+1', ref: (x) => x * 0 + 1, ir: '%c: f32[N] = constant {value=0}\n  %o: f32[N] = constant {value=1}\n  %m: f32[N] = mul %x, %c\n  %r: f32[N] = add %m, %o' },
  { name: 'pow(x,0)', ref: (x) => c99Pow(x, 0), ir: '%c: f32[N] = constant {value=0}\n  %r: f32[N] = pow %x, %c' },
  { name: 'pow(x,0.5)', ref: (x) => c99Pow(x, 0.5), ir: '%c: f32[N] = constant {value=0.5}\n  %r: f32[N] = pow %x, %c' },
  // Ordinary constants (codegen uses the plain operators beside them) and chains a driver could reassociate.
  {
    name: 'x*1.5+0.5',
    ref: (x) => Math.fround(Math.fround(x * 1.5) + 0.5),
    ir: '%a: f32[N] = constant {value=1.5}\n  %b: f32[N] = constant {value=0.5}\n  %m: f32[N] = mul %x, %a\n  %r: f32[N] = add %m, %b',
  },
  { name: '0.5-x', ref: (x) => 0.5 - x, ir: '%c: f32[N] = constant {value=0.5}\n  %r: f32[N] = sub %c, %x' },
  {
    name: '(x*1e30)*1e-30',
    ref: (x) => Math.fround(Math.fround(x * 1e30) * Math.fround(1e-30)),
    ir: '%a: f32[N] = constant {value=1e30}\n  %b: f32[N] = constant {value=1e-30}\n  %m: f32[N] = mul %x, %a\n  %r: f32[N] = mul %m, %b',
  },
  // Two data operands (codegen may use the plain operator): factoring x - x·0.5 into x·0.5 or x·x + x into x·(x+1) would change Inf - Inf = NaN.
  { name: 'x*(x+0.5)', ref: (x) => Math.fround(x * Math.fround(x + 0.5)), ir: '%c: f32[N] = constant {value=0.5}\n  %s: f32[N] = add %x, %c\n  %r: f32[N] = mul %x, %s' },
  { name: 'x-x*0.5', ref: (x) => Math.fround(x - Math.fround(x * 0.5)), ir: '%c: f32[N] = constant {value=0.5}\n  %m: f32[N] = mul %x, %c\n  %r: f32[N] = sub %x, %m' },
  { name: 'x*x+x', ref: (x) => Math.fround(Math.fround(x * x) + x), ir: '%m: f32[N] = mul %x, %x\n  %r: f32[N] = add %m, %x' },
  { name: 'exp(x)*x', ref: (x) => Math.fround(Math.fround(Math.exp(x)) * x), ir: '%e: f32[N] = exp %x\n  %r: f32[N] = mul %e, %x' },
  {
    name: '-(x*1e30)*1e-30',
    ref: (x) => Math.fround(-Math.fround(x * 1e30) * Math.fround(1e-30)),
    ir: '%a: f32[N] = constant {value=1e30}\n  %b: f32[N] = constant {value=1e-30}\n  %m: f32[N] = mul %x, %a\n  %n: f32[N] = neg %m\n  %r: f32[N] = mul %n, %b',
  },
  // A fused multiply-add would not overflow where x·c does (x = 3: Inf + c2 is Inf).
  {
    name: 'x*1.2e38+(-3e38)',
    ref: (x) => Math.fround(Math.fround(x * Math.fround(1.2e38)) + Math.fround(-3e38)),
    ir: '%a: f32[N] = constant {value=1.2e38}\n  %b: f32[N] = constant {value=-3e38}\n  %m: f32[N] = mul %x, %a\n  %r: f32[N] = add %m, %b',
  },
  {
    name: '(x+1e30)-1e30',
    ref: (x) => Math.fround(Math.fround(x + 1e30) - Math.fround(1e30)),
    ir: '%a: f32[N] = constant {value=1e30}\n  %s: f32[N] = add %x, %a\n  %r: f32[N] = sub %s, %a',
  },
];

export function patternText(p: (typeof PATTERNS)[number]): string {
  const n = SPECIAL.length;
  return `graph @pattern(%x: f32[${n}]) -> (r: f32[${n}]) {\n  ${p.ir.replaceAll('N', String(n))}\n  return %r\n}\n`;
}

/** cast from f32, Kiln's documented (WGSL) semantics: truncate, saturate, NaN → 0; → bool tests != 0 (NaN → true). */
export const CASTS = {
  i32: (x: number) => (Number.isNaN(x) ? 0 : x >= 2147483647 ? 2147483647 : x <= -2147483648 ? -2147483648 : Math.trunc(x) | 0),
  u32: (x: number) => (Number.isNaN(x) || x <= 0 ? 0 : x >= 4294967295 ? 4294967295 : Math.trunc(x) >>> 0),
  bool: (x: number) => (x !== 0 ? 1 : 0),
} as const;

export function castGraph(to: keyof typeof CASTS): Graph {
  const b = new GraphBuilder(`special_cast_${to}`);
  const x = b.input('x', { dtype: 'f32', shape: [SPECIAL.length] });
  b.output(b.add('cast', [x], { dtype: to }), 'r');
  return b.build();
}
