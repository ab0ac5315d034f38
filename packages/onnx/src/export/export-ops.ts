// Per-op export rules, a total table over Kiln's op registry: adding an op to the IR fails to
// typecheck here until it either maps to ONNX nodes or says why it cannot be exported.

import { KilnError, elementAt, type NodeOf, type OpKind, type TensorType, type ValueId } from '@kiln/ir';
import { onnxTypeCodeOf, tensorInit } from './type-code.js';

export interface ExportSink {
  name(v: ValueId): string;
  type(v: ValueId): TensorType;
  fresh(base: string): string;
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attribute?: readonly Record<string, unknown>[]): void;
  /** An initializer holding `values`; returns its name. */
  constant(type: TensorType, values: ArrayLike<number>): string;
  /** A 1-D INT64 initializer (ONNX shapes, axes, pads); returns its name. */
  int64(values: readonly number[]): string;
}

type Rule<K extends OpKind> = (n: NodeOf<K>, s: ExportSink, out: string) => void;

const ints = (name: string, v: readonly number[]): Record<string, unknown> => ({ name, type: 7, ints: [...v] });
const int = (name: string, v: number): Record<string, unknown> => ({ name, type: 2, i: v });
const i64 = (s: ExportSink, v: readonly number[]): string => s.int64(v);

function simple<K extends OpKind>(opType: string): Rule<K> {
  return (n, s, out) =>
    s.node(
      opType,
      n.operands.map((o) => s.name(o)),
      [out],
    );
}
function chain<K extends OpKind>(first: string, second: string): Rule<K> {
  return (n, s, out) => {
    const mid = s.fresh(first.toLowerCase());
    s.node(
      first,
      n.operands.map((o) => s.name(o)),
      [mid],
    );
    s.node(second, [mid], [out]);
  };
}
function withOne<K extends OpKind>(opType: string, after: string | undefined, constFirst: boolean): Rule<K> {
  return (n, s, out) => {
    const x = s.name(elementAt(n.operands, 0, 'exported node operands'));
    const one = s.constant({ dtype: 'f32', shape: [] }, [1]);
    if (after === undefined) s.node(opType, constFirst ? [one, x] : [x, one], [out]);
    else {
      const mid = s.fresh('t');
      s.node(after, [x], [mid]);
      s.node(opType, constFirst ? [one, mid] : [mid, one], [out]);
    }
  };
}
function notExported<K extends OpKind>(why: string): Rule<K> {
  return (n) => {
    throw new KilnError({ op: n.op, message: `export: not supported (${why})` });
  };
}

/** Shape as an INT64-typed initializer: ONNX wants int64 for shapes and axes, so store as INT64. */
function shapeConst(s: ExportSink, v: readonly number[]): string {
  return i64(s, v);
}

export const EXPORT_RULES: { readonly [K in OpKind]: Rule<K> } = {
  neg: simple('Neg'),
  abs: simple('Abs'),
  sign: simple('Sign'),
  exp: simple('Exp'),
  log: simple('Log'),
  log1p: (n, s, out) => {
    const x = s.name(elementAt(n.operands, 0, 'exported node operands'));
    const one = s.constant({ dtype: 'f32', shape: [] }, [1]);
    const m = s.fresh('t');
    s.node('Add', [x, one], [m]);
    s.node('Log', [m], [out]);
  },
  expm1: withOne('Sub', 'Exp', false),
  sqrt: simple('Sqrt'),
  rsqrt: chain('Sqrt', 'Reciprocal'),
  sin: simple('Sin'),
  cos: simple('Cos'),
  tanh: simple('Tanh'),
  logistic: simple('Sigmoid'),
  erf: simple('Erf'),
  floor: simple('Floor'),
  ceil: simple('Ceil'),
  round: simple('Round'),
  not: (n, s, out) => {
    if (s.type(elementAt(n.operands, 0, 'exported node operands')).dtype !== 'bool') throw new KilnError({ op: 'not', message: 'export: bitwise not on integers is not supported' });
    s.node('Not', [s.name(elementAt(n.operands, 0, 'exported node operands'))], [out]);
  },
  add: simple('Add'),
  sub: simple('Sub'),
  mul: simple('Mul'),
  div: simple('Div'),
  pow: simple('Pow'),
  max: simple('Max'),
  min: simple('Min'),
  eq: simple('Equal'),
  ne: chain('Equal', 'Not'),
  lt: simple('Less'),
  le: simple('LessOrEqual'),
  gt: simple('Greater'),
  ge: simple('GreaterOrEqual'),
  and: simple('And'),
  or: simple('Or'),
  select: simple('Where'),
  cast: (n, s, out) => s.node('Cast', [s.name(elementAt(n.operands, 0, 'exported node operands'))], [out], [int('to', onnxTypeCodeOf(n.attrs.dtype))]),
  stop_gradient: simple('Identity'),
  reshape: (n, s, out) => s.node('Reshape', [s.name(elementAt(n.operands, 0, 'exported node operands')), shapeConst(s, n.attrs.shape)], [out]),
  transpose: (n, s, out) => s.node('Transpose', [s.name(elementAt(n.operands, 0, 'exported node operands'))], [out], [ints('perm', n.attrs.perm)]),
  broadcast: (n, s, out) => {
    const x = elementAt(n.operands, 0, 'exported node operands');
    const xs = s.type(x).shape;
    // Put operand dim i at result dim dims[i] (size 1 elsewhere), then Expand.
    const shaped = n.attrs.shape.map(() => 1);
    n.attrs.dims.forEach((d, i) => (shaped[d] = xs[i] ?? 1));
    const mid = s.fresh('bc');
    s.node('Reshape', [s.name(x), shapeConst(s, shaped)], [mid]);
    s.node('Expand', [mid, shapeConst(s, n.attrs.shape)], [out]);
  },
  slice: (n, s, out) =>
    s.node(
      'Slice',
      [
        s.name(elementAt(n.operands, 0, 'exported node operands')),
        i64(s, n.attrs.start),
        i64(s, n.attrs.limit),
        i64(
          s,
          n.attrs.start.map((_, i) => i),
        ),
        i64(s, n.attrs.stride),
      ],
      [out],
    ),
  pad: (n, s, out) => {
    if (n.attrs.interior.some((v) => v !== 0) || [...n.attrs.low, ...n.attrs.high].some((v) => v < 0))
      throw new KilnError({ op: 'pad', message: 'export: interior or negative padding is not supported' });
    const t = s.type(elementAt(n.operands, 0, 'exported node operands'));
    s.node(
      'Pad',
      [s.name(elementAt(n.operands, 0, 'exported node operands')), i64(s, [...n.attrs.low, ...n.attrs.high]), s.constant({ dtype: t.dtype, shape: [] }, [n.attrs.value])],
      [out],
      [{ name: 'mode', type: 3, s: new TextEncoder().encode('constant') }],
    );
  },
  concat: (n, s, out) =>
    s.node(
      'Concat',
      n.operands.map((o) => s.name(o)),
      [out],
      [int('axis', n.attrs.axis)],
    ),
  reduce_sum: (n, s, out) => s.node('ReduceSum', [s.name(elementAt(n.operands, 0, 'exported node operands')), i64(s, n.attrs.axes)], [out], [int('keepdims', 0)]),
  reduce_max: (n, s, out) => s.node('ReduceMax', [s.name(elementAt(n.operands, 0, 'exported node operands'))], [out], [ints('axes', n.attrs.axes), int('keepdims', 0)]),
  reduce_min: (n, s, out) => s.node('ReduceMin', [s.name(elementAt(n.operands, 0, 'exported node operands'))], [out], [ints('axes', n.attrs.axes), int('keepdims', 0)]),
  argmax: (n, s, out) => {
    const m = s.fresh('am');
    s.node('ArgMax', [s.name(elementAt(n.operands, 0, 'exported node operands'))], [m], [int('axis', n.attrs.axis), int('keepdims', 0)]);
    s.node('Cast', [m], [out], [int('to', 6)]);
  },
  argmin: (n, s, out) => {
    const m = s.fresh('am');
    s.node('ArgMin', [s.name(elementAt(n.operands, 0, 'exported node operands'))], [m], [int('axis', n.attrs.axis), int('keepdims', 0)]);
    s.node('Cast', [m], [out], [int('to', 6)]);
  },
  matmul: simple('MatMul'),
  conv: (n, s, out) => {
    if (n.attrs.lhs_dilation.some((d) => d !== 1)) throw new KilnError({ op: 'conv', message: 'export: input dilation (transposed convolution) is not supported' });
    const x = elementAt(n.operands, 0, 'exported node operands');
    const w = elementAt(n.operands, 1, 'exported node operands');
    const r = s.type(x).shape.length;
    const sp = Array.from({ length: r - 2 }, (_, i) => i + 1);
    const xn = s.fresh('nchw');
    const wn = s.fresh('oihw');
    const yn = s.fresh('conv');
    s.node('Transpose', [s.name(x)], [xn], [ints('perm', [0, r - 1, ...sp])]);
    s.node('Transpose', [s.name(w)], [wn], [ints('perm', [r - 1, r - 2, ...sp.map((i) => i - 1)])]);
    s.node(
      'Conv',
      [xn, wn],
      [yn],
      [
        ints('strides', n.attrs.stride),
        ints('dilations', n.attrs.rhs_dilation),
        ints('pads', [...n.attrs.padding.map((p) => p[0]), ...n.attrs.padding.map((p) => p[1])]),
        int('group', n.attrs.groups),
      ],
    );
    s.node('Transpose', [yn], [out], [ints('perm', [0, ...sp.map((i) => i + 1), 1])]);
  },
  reduce_window: notExported('pooling export is not implemented yet'),
  select_and_scatter_add: notExported('a gradient op'),
  gather: (n, s, out) =>
    s.node(
      'Gather',
      n.operands.map((o) => s.name(o)),
      [out],
      [int('axis', n.attrs.axis)],
    ),
  scatter_add: notExported('no ONNX op with clamped-index scatter-add semantics is mapped'),
  constant: (n, s, out) => {
    const v = n.attrs.value;
    const count = n.type.shape.reduce((a, b) => a * b, 1);
    const values = typeof v === 'number' ? new Array<number>(count).fill(v) : v;
    s.node('Constant', [], [out], [{ name: 'value', type: 4, t: tensorInit(out, n.type, values) }]);
  },
  iota: (n, s, out) => {
    const shape = n.type.shape;
    const count = shape.reduce((a, b) => a * b, 1);
    const inner = shape.slice(n.attrs.dim + 1).reduce((a, b) => a * b, 1);
    const d = shape[n.attrs.dim] ?? 1;
    s.node(
      'Constant',
      [],
      [out],
      [
        {
          name: 'value',
          type: 4,
          t: tensorInit(
            out,
            n.type,
            Array.from({ length: count }, (_, i) => Math.floor(i / inner) % d),
          ),
        },
      ],
    );
  },
  random_bits: notExported('Kiln counter-based random bits have no ONNX equivalent'),
  call: notExported('fused kernels: export the graph before fusion'),
};
