// Lowerings of ONNX elementwise ops (unary math, activations, arithmetic with broadcasting,
// comparisons, logic, Where, Clip, Cast) to Kiln elementwise primitives.

import type { DType, ValueId } from '@kiln/ir';
import { kilnDType } from '../tensor-data.js';
import type { Emitter } from './emit.js';
import type { NodeCtx, OpRule } from './node-ctx.js';

type Unary = (e: Emitter, x: ValueId, c: NodeCtx) => ValueId;

function unary(f: Unary, attrs: readonly string[] = []): OpRule {
  return { attrs, lower: (c) => [f(c.e, c.input(0), c)] };
}
const prim = (op: Parameters<Emitter['unary']>[0]): OpRule => unary((e, x) => e.unary(op, x));

/** Float-only math on integer inputs: compute in f32 and convert back (ONNX int semantics via truncation). */
function asFloat(e: Emitter, x: ValueId, f: (v: ValueId) => ValueId): ValueId {
  const d = e.dtype(x);
  if (d === 'f32') return f(x);
  return e.cast(f(e.cast(x, 'f32')), d);
}

type Bin = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'and' | 'or';
function binary(op: Bin): OpRule {
  return { attrs: ['broadcast', 'axis'], lower: (c) => [c.e.binary(op, c.input(0), legacyBroadcast(c, c.input(0), c.input(1)))] };
}

/** Before opset 7, `broadcast=1` aligns B's dims with A's starting at `axis` (default: trailing). */
function legacyBroadcast(c: NodeCtx, a: ValueId, b: ValueId): ValueId {
  if (c.opset >= 7 || c.int('broadcast', 0) === 0) return b;
  const e = c.e;
  const ra = e.rank(a);
  const sb = e.shape(b);
  const axis = c.hasAttr('axis') ? e.axis(c.int('axis', 0), ra) : ra - sb.length;
  return e.reshape(b, [...sb, ...new Array<number>(ra - axis - sb.length).fill(1)]);
}
function variadic(op: 'add' | 'max' | 'min', mean = false): OpRule {
  return {
    attrs: [],
    lower: (c) => {
      const xs = c.inputs();
      let acc = xs[0];
      if (acc === undefined) throw c.error('needs at least one input');
      for (const x of xs.slice(1)) acc = c.e.binary(op, acc, x);
      return [mean ? c.e.withScalar('div', acc, xs.length) : acc];
    },
  };
}

const softplus = (e: Emitter, x: ValueId): ValueId => {
  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow for large x.
  return e.op('add', [e.withScalar('max', x, 0), e.unary('log1p', e.unary('exp', e.unary('neg', e.unary('abs', x))))], {});
};
const hardSigmoid = (e: Emitter, x: ValueId, alpha: number, beta: number): ValueId =>
  e.withScalar('min', e.withScalar('max', e.withScalar('add', e.withScalar('mul', x, alpha), beta), 0), 1);
const elu = (e: Emitter, x: ValueId, alpha: number): ValueId => e.select(e.withScalar('gt', x, 0), x, e.withScalar('mul', e.unary('expm1', x), alpha));

function castTo(c: NodeCtx, x: ValueId, to: DType): ValueId {
  const e = c.e;
  const from = e.dtype(x);
  if (from === to) return x;
  // Kiln's f32 -> int cast truncates toward zero, as ONNX Cast does; NaN/inf are out of contract in ONNX too.
  return e.cast(x, to);
}

export const elementwiseRules: Readonly<Record<string, OpRule>> = {
  Identity: unary((_e, x) => x),
  Abs: prim('abs'),
  Neg: prim('neg'),
  Sign: prim('sign'),
  Exp: prim('exp'),
  Log: prim('log'),
  Sqrt: prim('sqrt'),
  Sin: prim('sin'),
  Cos: prim('cos'),
  Tanh: prim('tanh'),
  Sigmoid: prim('logistic'),
  Erf: prim('erf'),
  Floor: prim('floor'),
  Ceil: prim('ceil'),
  Round: prim('round'),
  Not: prim('not'),
  Tan: unary((e, x) => e.op('div', [e.unary('sin', x), e.unary('cos', x)], {})),
  Reciprocal: unary((e, x) => e.op('div', [e.full(x, 1), x], {})),
  Sinh: unary((e, x) => e.withScalar('mul', e.op('sub', [e.unary('exp', x), e.unary('exp', e.unary('neg', x))], {}), 0.5)),
  Cosh: unary((e, x) => e.withScalar('mul', e.op('add', [e.unary('exp', x), e.unary('exp', e.unary('neg', x))], {}), 0.5)),
  Asinh: unary((e, x) => e.unary('log', e.op('add', [x, e.unary('sqrt', e.withScalar('add', e.op('mul', [x, x], {}), 1))], {}))),
  Acosh: unary((e, x) => e.unary('log', e.op('add', [x, e.unary('sqrt', e.withScalar('sub', e.op('mul', [x, x], {}), 1))], {}))),
  Atanh: unary((e, x) => e.withScalar('mul', e.unary('log', e.op('div', [e.withScalar('add', x, 1), e.op('sub', [e.full(x, 1), x], {})], {})), 0.5)),
  Relu: unary((e, x) => e.withScalar('max', x, 0)),
  LeakyRelu: unary((e, x, c) => e.select(e.withScalar('ge', x, 0), x, e.withScalar('mul', x, c.float('alpha', 0.01))), ['alpha']),
  ThresholdedRelu: unary((e, x, c) => e.select(e.withScalar('gt', x, c.float('alpha', 1)), x, e.full(x, 0)), ['alpha']),
  Elu: unary((e, x, c) => elu(e, x, c.float('alpha', 1)), ['alpha']),
  Celu: unary(
    (e, x, c) => {
      const a = c.float('alpha', 1);
      return e.op('add', [e.withScalar('max', x, 0), e.withScalar('min', e.withScalar('mul', e.unary('expm1', e.withScalar('div', x, a)), a), 0)], {});
    },
    ['alpha'],
  ),
  Selu: unary((e, x, c) => e.withScalar('mul', elu(e, x, c.float('alpha', 1.67326319217681884765625)), c.float('gamma', 1.05070102214813232421875)), ['alpha', 'gamma']),
  Softplus: unary((e, x) => softplus(e, x)),
  Softsign: unary((e, x) => e.op('div', [x, e.withScalar('add', e.unary('abs', x), 1)], {})),
  HardSigmoid: unary((e, x, c) => hardSigmoid(e, x, c.float('alpha', 0.2), c.float('beta', 0.5)), ['alpha', 'beta']),
  HardSwish: unary((e, x) => e.op('mul', [x, hardSigmoid(e, x, 1 / 6, 0.5)], {})),
  Mish: unary((e, x) => e.op('mul', [x, e.unary('tanh', softplus(e, x))], {})),
  Gelu: unary(
    (e, x, c) => {
      const approx = c.string('approximate', 'none');
      if (approx === 'tanh') {
        const inner = e.withScalar('mul', e.op('add', [x, e.withScalar('mul', e.op('mul', [e.op('mul', [x, x], {}), x], {}), 0.044715)], {}), Math.sqrt(2 / Math.PI));
        return e.withScalar('mul', e.op('mul', [x, e.withScalar('add', e.unary('tanh', inner), 1)], {}), 0.5);
      }
      if (approx !== 'none') throw c.unsupported(`Gelu approximate="${approx}"`);
      return e.withScalar('mul', e.op('mul', [x, e.withScalar('add', e.unary('erf', e.withScalar('mul', x, Math.SQRT1_2)), 1)], {}), 0.5);
    },
    ['approximate'],
  ),
  Shrink: unary(
    (e, x, c) => {
      const lambd = c.float('lambd', 0.5);
      const bias = c.float('bias', 0);
      return e.select(e.withScalar('lt', x, -lambd), e.withScalar('add', x, bias), e.select(e.withScalar('gt', x, lambd), e.withScalar('sub', x, bias), e.full(x, 0)));
    },
    ['lambd', 'bias'],
  ),
  IsNaN: unary((e, x) => e.op('ne', [x, x], {})),
  IsInf: unary(
    (e, x, c) => {
      const pos = c.int('detect_positive', 1) !== 0;
      const neg = c.int('detect_negative', 1) !== 0;
      const p = e.withScalar('eq', x, Infinity);
      const n = e.withScalar('eq', x, -Infinity);
      return pos && neg ? e.op('or', [p, n], {}) : pos ? p : neg ? n : e.full(x, 0, 'bool');
    },
    ['detect_positive', 'detect_negative'],
  ),
  PRelu: {
    attrs: [],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      let slope = c.input(1);
      // Before opset 7 (and in many exporters) a [C] slope is per channel of an N,C,... input.
      const ss = e.shape(slope);
      const xs = e.shape(x);
      if (ss.length === 1 && xs.length > 2 && ss[0] === xs[1] && ss[0] !== xs[xs.length - 1]) slope = e.reshape(slope, [ss[0] ?? 1, ...new Array<number>(xs.length - 2).fill(1)]);
      return [e.select(e.withScalar('lt', x, 0), e.binary('mul', x, slope), x)];
    },
  },

  Add: binary('add'),
  Sub: binary('sub'),
  Mul: binary('mul'),
  Div: binary('div'),
  Equal: binary('eq'),
  Less: binary('lt'),
  LessOrEqual: binary('le'),
  Greater: binary('gt'),
  GreaterOrEqual: binary('ge'),
  And: binary('and'),
  Or: binary('or'),
  Xor: {
    attrs: [],
    lower: (c) => {
      const shape = c.e.broadcastShape(c.e.shape(c.input(0)), c.e.shape(c.input(1)));
      return [c.e.op('ne', [c.e.broadcastTo(c.input(0), shape), c.e.broadcastTo(c.input(1), shape)], {})];
    },
  },
  Max: variadic('max'),
  Min: variadic('min'),
  Sum: variadic('add'),
  Mean: variadic('add', true),
  Pow: {
    attrs: [],
    lower: (c) => {
      const e = c.e;
      const x = c.input(0);
      const y = e.cast(c.input(1), 'f32');
      return [asFloat(e, x, (xf) => e.binary('pow', xf, y))];
    },
  },
  Mod: {
    attrs: ['fmod'],
    lower: (c) => {
      const e = c.e;
      const shape = e.broadcastShape(e.shape(c.input(0)), e.shape(c.input(1)));
      const a = e.broadcastTo(c.input(0), shape);
      const b = e.broadcastTo(c.input(1), shape);
      const fmod = c.int('fmod', 0) !== 0;
      const isInt = e.dtype(a) !== 'f32';
      if (!isInt && !fmod) throw c.unsupported('Mod with fmod=0 on floats (ONNX requires fmod=1 there)');
      let q = e.op('div', [a, b], {});
      if (!isInt) q = e.op('mul', [e.unary('sign', q), e.unary('floor', e.unary('abs', q))], {});
      const r = e.op('sub', [a, e.op('mul', [q, b], {})], {});
      if (fmod) return [r];
      // Python-style: the remainder takes the divisor's sign.
      const fix = e.op('and', [e.withScalar('ne', r, 0), e.op('ne', [e.withScalar('lt', r, 0), e.withScalar('lt', b, 0)], {})], {});
      return [e.select(fix, e.op('add', [r, b], {}), r)];
    },
  },
  Where: { attrs: [], lower: (c) => [c.e.select(c.input(0), c.input(1), c.input(2))] },
  Clip: {
    attrs: ['min', 'max'],
    lower: (c) => {
      const e = c.e;
      let x = c.input(0);
      if (c.opset < 11) {
        if (c.hasAttr('min')) x = e.withScalar('max', x, c.float('min', 0));
        if (c.hasAttr('max')) x = e.withScalar('min', x, c.float('max', 0));
        return [x];
      }
      const lo = c.opt(1);
      const hi = c.opt(2);
      if (lo !== undefined) x = e.binary('max', x, lo);
      if (hi !== undefined) x = e.binary('min', x, hi);
      return [x];
    },
  },
  Cast: { attrs: ['to', 'saturate', 'round_mode'], lower: (c) => [castTo(c, c.input(0), kilnDType(c.intReq('to'), `${c.where} attribute to`))] },
  CastLike: { attrs: ['saturate', 'round_mode'], lower: (c) => [castTo(c, c.input(0), c.e.dtype(c.input(1)))] },
};
