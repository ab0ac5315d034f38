// The gradcheck table: at least one case per differentiable primitive (coverage.test.ts enforces
// it), with inputs kept away from kinks and ties so central differences are meaningful.

import type { AttrsOf, GraphBuilder, OpKind, ValueId } from '@kiln/ir';
import { awayFromZero, bool, distinct, f32, i32, input, rand, randoms, type GradCase, type InputSpec } from './helpers.js';

type UnaryOp = 'neg' | 'abs' | 'exp' | 'log' | 'log1p' | 'expm1' | 'sqrt' | 'rsqrt' | 'sin' | 'cos' | 'tanh' | 'logistic' | 'erf';
type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'max' | 'min';

const positive = (seed: number, n: number): number[] => randoms(n, seed, 0.3, 2);

function unaryCase(op: UnaryOp, data: readonly number[]): GradCase {
  return { name: op, op, inputs: { x: input(f32(2, 3), data) }, wrt: ['x'], body: (b, x) => b.add(op, [x.x!], {}) };
}

function binaryCase(name: string, op: BinaryOp, a: readonly number[], c: readonly number[], wrt: readonly string[] = ['a', 'b']): GradCase {
  return {
    name,
    op,
    inputs: { a: input(f32(2, 3), a), b: input(f32(2, 3), c) },
    wrt,
    body: (b, x) => b.add(op, [x.a!, x.b!], {}),
  };
}

/** A single op on the inputs in declaration order. */
function opCase<K extends OpKind>(name: string, op: K, inputs: Record<string, InputSpec>, attrs: AttrsOf<K>, wrt?: readonly string[], zeroGrad?: readonly string[]): GradCase {
  const names = Object.keys(inputs);
  return {
    name,
    op,
    inputs,
    ...(zeroGrad !== undefined ? { zeroGrad } : {}),
    wrt: wrt ?? names.filter((n) => inputs[n]!.type.dtype === 'f32'),
    body: (b: GraphBuilder, x: Readonly<Record<string, ValueId>>) =>
      b.add(
        op,
        names.map((n) => x[n]!),
        attrs,
      ),
  };
}

type ConvAttrs = AttrsOf<'conv'>;
const conv2d = (over: Partial<ConvAttrs> = {}): ConvAttrs => ({
  stride: [1, 1],
  padding: [
    [0, 0],
    [0, 0],
  ],
  lhs_dilation: [1, 1],
  rhs_dilation: [1, 1],
  groups: 1,
  ...over,
});

const convCase = (name: string, x: number[], w: number[], attrs: ConvAttrs): GradCase => opCase(name, 'conv', { x: rand(11, ...x), w: rand(12, ...w) }, attrs);

const pairs = (...ps: [number, number][]): [number, number][] => ps;

export const gradCases: GradCase[] = [
  unaryCase('neg', randoms(6, 1)),
  unaryCase('abs', awayFromZero(6, 2)),
  unaryCase('exp', randoms(6, 3)),
  unaryCase('log', positive(4, 6)),
  unaryCase('log1p', randoms(6, 5, -0.5, 2)),
  unaryCase('expm1', randoms(6, 6)),
  unaryCase('sqrt', positive(7, 6)),
  unaryCase('rsqrt', positive(8, 6)),
  unaryCase('sin', randoms(6, 9, -3, 3)),
  unaryCase('cos', randoms(6, 10, -3, 3)),
  unaryCase('tanh', randoms(6, 11, -2, 2)),
  unaryCase('logistic', randoms(6, 12, -3, 3)),
  unaryCase('erf', randoms(6, 13, -2, 2)),

  binaryCase('add', 'add', randoms(6, 20), randoms(6, 21)),
  binaryCase('sub', 'sub', randoms(6, 22), randoms(6, 23)),
  binaryCase('mul', 'mul', randoms(6, 24), randoms(6, 25)),
  binaryCase('div', 'div', randoms(6, 26), awayFromZero(6, 27)),
  binaryCase('pow', 'pow', positive(28, 6), randoms(6, 29, -2, 2)),
  binaryCase('pow negative base, integer exponent', 'pow', randoms(6, 30, -2, -0.3), [2, 3, -1, 2, 1, 3], ['a']),
  binaryCase('max', 'max', [0.1, -0.5, 0.9, 0.3, -0.2, 0.7], [0.4, -0.9, 0.2, 0.8, -0.6, 0.1]),
  binaryCase('min', 'min', [0.1, -0.5, 0.9, 0.3, -0.2, 0.7], [0.4, -0.9, 0.2, 0.8, -0.6, 0.1]),
  opCase('select', 'select', { p: input(bool(2, 3), [1, 0, 0, 1, 1, 0]), a: rand(31, 2, 3), b: rand(32, 2, 3) }, {}),
  opCase('cast f32 to f32', 'cast', { x: rand(33, 2, 3) }, { dtype: 'f32' }),

  opCase('reshape', 'reshape', { x: rand(40, 2, 3, 4) }, { shape: [4, 6] }),
  opCase('transpose', 'transpose', { x: rand(41, 2, 3, 4) }, { perm: [2, 0, 1] }),
  opCase('broadcast new and expanded dims', 'broadcast', { x: rand(42, 3, 1) }, { dims: [1, 2], shape: [2, 3, 4] }),
  opCase('slice strided', 'slice', { x: rand(43, 7, 6) }, { start: [1, 0], limit: [7, 5], stride: [2, 3] }),
  opCase('pad interior and negative low', 'pad', { x: rand(44, 4, 3) }, { low: [-1, 2], high: [1, -1], interior: [1, 2], value: 0.5 }),
  opCase('concat', 'concat', { a: rand(45, 2, 3), b: rand(46, 2, 1), c: rand(47, 2, 2) }, { axis: 1 }),

  opCase('reduce_sum', 'reduce_sum', { x: rand(50, 2, 3, 4) }, { axes: [0, 2] }),
  opCase('reduce_max', 'reduce_max', { x: input(f32(2, 3, 4), distinct(24, 51)) }, { axes: [0, 2] }),
  opCase('reduce_min', 'reduce_min', { x: input(f32(2, 3, 4), distinct(24, 52)) }, { axes: [1] }),
  opCase('matmul batched', 'matmul', { a: rand(53, 2, 3, 4), b: rand(54, 2, 4, 5) }, {}),
  opCase('gather repeated indices', 'gather', { t: rand(55, 4, 3), idx: input(i32(2, 3), [0, 2, 2, 3, 0, 2]) }, { axis: 0 }),
  opCase('gather axis 1, out-of-range indices clamp', 'gather', { t: rand(56, 2, 4), idx: input(i32(5), [1, -2, 7, 3, 1]) }, { axis: 1 }),
  opCase('scatter_add repeated and dropped indices', 'scatter_add', { t: rand(57, 4, 2), idx: input(i32(5), [1, 3, 1, 9, -1]), u: rand(58, 5, 2) }, { axis: 0 }),

  convCase('conv basic', [2, 4, 5, 3], [2, 3, 3, 4], conv2d()),
  convCase('conv stride 2', [1, 7, 6, 2], [3, 2, 2, 3], conv2d({ stride: [2, 2] })),
  convCase('conv padding', [1, 4, 4, 2], [3, 3, 2, 2], conv2d({ padding: pairs([1, 2], [2, 0]) })),
  convCase('conv padding wider than the kernel', [1, 3, 4, 1], [2, 2, 1, 2], conv2d({ padding: pairs([3, 2], [0, 3]) })),
  convCase('conv rhs_dilation 2', [1, 7, 6, 2], [2, 3, 2, 2], conv2d({ rhs_dilation: [2, 2] })),
  convCase('conv lhs_dilation 2', [1, 3, 4, 2], [2, 2, 2, 3], conv2d({ lhs_dilation: [2, 2] })),
  convCase('conv groups 2', [2, 4, 4, 4], [2, 2, 2, 6], conv2d({ groups: 2 })),
  convCase('conv everything at once', [2, 6, 7, 4], [3, 2, 2, 4], conv2d({ stride: [2, 3], padding: pairs([1, 2], [2, 1]), lhs_dilation: [2, 1], rhs_dilation: [1, 2], groups: 2 })),
  convCase('conv negative padding (crops the input)', [1, 6, 5, 2], [2, 2, 2, 2], conv2d({ padding: pairs([-1, 0], [0, -2]) })),
  convCase('conv 3-d with groups', [1, 3, 4, 3, 4], [2, 2, 2, 2, 2], {
    stride: [1, 2, 1],
    padding: pairs([0, 1], [1, 0], [1, 1]),
    lhs_dilation: [1, 1, 2],
    rhs_dilation: [1, 1, 1],
    groups: 2,
  }),
  convCase('conv 1-d stride with leftover', [2, 9, 3], [3, 3, 2], {
    stride: [3],
    padding: pairs([1, 0]),
    lhs_dilation: [1],
    rhs_dilation: [1],
    groups: 1,
  }),

  opCase(
    'reduce_window sum overlapping',
    'reduce_window',
    { x: rand(60, 2, 6, 5, 2) },
    { kind: 'sum', window: [1, 3, 2, 1], stride: [1, 2, 1, 1], padding: pairs([0, 0], [1, 2], [1, 0], [0, 0]) },
  ),
  opCase(
    'reduce_window sum with gaps and wide padding',
    'reduce_window',
    { x: rand(64, 1, 8, 3) },
    { kind: 'sum', window: [1, 2, 2], stride: [1, 3, 1], padding: pairs([0, 0], [3, 4], [0, 2]) },
  ),
  opCase(
    'reduce_window max overlapping',
    'reduce_window',
    { x: input(f32(2, 6, 5, 2), distinct(120, 61)) },
    { kind: 'max', window: [1, 3, 3, 1], stride: [1, 2, 1, 1], padding: pairs([0, 0], [1, 1], [1, 1], [0, 0]) },
  ),
  opCase(
    'select_and_scatter_add overlapping',
    'select_and_scatter_add',
    { src: rand(62, 1, 4, 5, 2), x: input(f32(1, 6, 5, 2), distinct(60, 63)) },
    { window: [1, 3, 2, 1], stride: [1, 2, 1, 1], padding: pairs([0, 0], [2, 1], [0, 1], [0, 0]) },
    ['src', 'x'],
    ['x'],
  ),
];
