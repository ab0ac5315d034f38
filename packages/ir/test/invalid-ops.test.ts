// Verifier diagnostics per op: for every op in the registry at least one IR text that parses but is
// ill-typed (wrong dtype, shape, attribute value or arity). Each diagnostic must name the position
// (file:line:col), the op, the value and the problem.

import { describe, expect, it } from 'vitest';
import { OP_KINDS, type OpKind } from '../src/index.js';
import { verifyText } from './helpers.js';

interface Case {
  readonly op: OpKind;
  /** Either a full IR text, or parameters + body lines of `graph @bad` (the last line is returned). */
  readonly text?: string;
  readonly params?: string;
  readonly body?: readonly string[];
  /** Expected `line:col` of the diagnostic. */
  readonly at: string;
  readonly value: string;
  readonly phrase: string;
}

/** `graph @bad(<params>) -> (out: T) { <body> return %v }`, where %v: T is the last body line's result. */
function graph(params: string, body: readonly string[]): string {
  const last = body[body.length - 1] ?? '';
  const m = /^%([A-Za-z0-9_.]+): (\S+) =/.exec(last);
  if (m === null) throw new Error(`cannot find the result of ${last}`);
  const lines = body.map((l) => `  ${l}`).join('\n');
  return `graph @bad(${params}) -> (out: ${m[2]}) {\n${lines}\n  return %${m[1]}\n}\n`;
}

const unaryDType = (op: OpKind, dtype: string, want: string): Case => ({
  op,
  params: `%x: ${dtype}[3]`,
  body: [`%0: ${dtype}[3] = ${op} %x`],
  at: '2:3',
  value: '%0',
  phrase: `operand must be ${want}, got ${dtype}[3]`,
});

const binaryDType = (op: OpKind, dtype: string, want: string): Case => ({
  op,
  params: `%a: ${dtype}[2], %b: ${dtype}[2]`,
  body: [`%r: ${op === 'lt' || op === 'gt' ? 'bool' : dtype}[2] = ${op} %a, %b`],
  at: '2:3',
  value: '%r',
  phrase: `operands must be ${want}, got ${dtype}[2]`,
});

const mismatch = (op: OpKind, a: string, b: string, result: string): Case => ({
  op,
  params: `%a: ${a}, %b: ${b}`,
  body: [`%0: ${result} = ${op} %a, %b`],
  at: '2:3',
  value: '%0',
  phrase: `operands must have the same type, got ${a} and ${b}`,
});

const POOL = 'window=[1,2,2,1], stride=[1,2,2,1], padding=[[0,0],[0,0],[0,0],[0,0]]';

const KERNEL_K = `kernel @k(%a: f32[4]) -> (out: f32[4]) {
  %0: f32[4] = neg %a
  return %0
}

`;

/** One entry per op (checked below), then extras. */
const CASES: readonly Case[] = [
  unaryDType('neg', 'bool', 'f32, i32 or u32'),
  { op: 'abs', params: '%x: bool[3]', body: ['%y: bool[3] = abs %x'], at: '2:3', value: '%y', phrase: 'operand must be f32, i32 or u32, got bool[3]' },
  { op: 'sign', params: '%a: f32[2], %b: f32[2]', body: ['%0: f32[2] = sign %a, %b'], at: '2:3', value: '%0', phrase: 'expects 1 operand(s), got 2' },
  unaryDType('exp', 'i32', 'f32'),
  unaryDType('log', 'bool', 'f32'),
  { op: 'log1p', params: '%x: u32[2,2]', body: ['%0: u32[2,2] = log1p %x'], at: '2:3', value: '%0', phrase: 'operand must be f32, got u32[2,2]' },
  { op: 'expm1', params: '%x: f32[2]', body: ['%0: f32[3] = expm1 %x'], at: '2:3', value: '%0', phrase: 'result annotated f32[3] but the operands give f32[2]' },
  { op: 'sqrt', params: '%a: f32[2], %b: f32[2]', body: ['%0: f32[2] = sqrt %a, %b'], at: '2:3', value: '%0', phrase: 'expects 1 operand(s), got 2' },
  {
    op: 'rsqrt',
    params: '%x: f32[4]',
    body: ['%h: f32[4] = neg %x', '%r: i32[4] = cast %h {dtype=i32}', '%0: i32[4] = rsqrt %r'],
    at: '4:3',
    value: '%0',
    phrase: 'operand must be f32, got i32[4]',
  },
  { op: 'sin', params: '%x: f32[2]', body: ['%0: i32[2] = sin %x'], at: '2:3', value: '%0', phrase: 'result annotated i32[2] but the operands give f32[2]' },
  unaryDType('cos', 'bool', 'f32'),
  { op: 'tanh', params: '%x: f32[2]', body: ['%0: f32[2] = tanh'], at: '2:3', value: '%0', phrase: 'expects 1 operand(s), got 0' },
  unaryDType('logistic', 'i32', 'f32'),
  unaryDType('erf', 'u32', 'f32'),
  unaryDType('floor', 'i32', 'f32'),
  { op: 'ceil', params: '%x: f32[2,3]', body: ['%0: f32[3,2] = ceil %x'], at: '2:3', value: '%0', phrase: 'result annotated f32[3,2] but the operands give f32[2,3]' },
  unaryDType('round', 'bool', 'f32'),
  unaryDType('not', 'f32', 'bool, i32 or u32'),
  mismatch('add', 'f32[2]', 'f32[3]', 'f32[2]'),
  mismatch('sub', 'f32[2]', 'i32[2]', 'f32[2]'),
  binaryDType('mul', 'bool', 'f32, i32 or u32'),
  { op: 'div', params: '%a: f32[2]', body: ['%0: f32[2] = div %a, %a, %a'], at: '2:3', value: '%0', phrase: 'expects 2 operand(s), got 3' },
  binaryDType('pow', 'i32', 'f32'),
  binaryDType('max', 'bool', 'f32, i32 or u32'),
  { op: 'min', params: '%a: f32[2], %b: f32[2]', body: ['%0: bool[2] = min %a, %b'], at: '2:3', value: '%0', phrase: 'result annotated bool[2] but the operands give f32[2]' },
  mismatch('eq', 'f32[2,3]', 'f32[3,2]', 'bool[2,3]'),
  { op: 'ne', params: '%a: f32[2], %b: f32[2]', body: ['%0: f32[2] = ne %a, %b'], at: '2:3', value: '%0', phrase: 'result annotated f32[2] but the operands give bool[2]' },
  binaryDType('lt', 'bool', 'f32, i32 or u32'),
  mismatch('le', 'i32[2]', 'u32[2]', 'bool[2]'),
  binaryDType('gt', 'bool', 'f32, i32 or u32'),
  { op: 'ge', params: '%a: f32[2]', body: ['%0: bool[2] = ge %a'], at: '2:3', value: '%0', phrase: 'expects 2 operand(s), got 1' },
  binaryDType('and', 'f32', 'bool, i32 or u32'),
  binaryDType('or', 'f32', 'bool, i32 or u32'),
  { op: 'select', params: '%p: f32[2], %a: f32[2], %b: f32[2]', body: ['%0: f32[2] = select %p, %a, %b'], at: '2:3', value: '%0', phrase: 'predicate must be bool, got f32[2]' },
  { op: 'cast', params: '%x: f32[2]', body: ['%0: f32[2] = cast %x {dtype=u32}'], at: '2:3', value: '%0', phrase: 'result annotated f32[2] but the operands give u32[2]' },
  { op: 'stop_gradient', params: '%x: f32[2,3]', body: ['%0: f32[3] = stop_gradient %x'], at: '2:3', value: '%0', phrase: 'result annotated f32[3] but the operands give f32[2,3]' },
  { op: 'reshape', params: '%x: f32[2,3]', body: ['%0: f32[4] = reshape %x {shape=[4]}'], at: '2:3', value: '%0', phrase: 'cannot reshape f32[2,3] (6 elements) to [4] (4 elements)' },
  { op: 'transpose', params: '%x: f32[2,3]', body: ['%0: f32[2,2] = transpose %x {perm=[0,0]}'], at: '2:3', value: '%0', phrase: 'perm [0,0] is not a permutation' },
  {
    op: 'broadcast',
    params: '%x: f32[2]',
    body: ['%0: f32[4,3] = broadcast %x {dims=[1], shape=[4,3]}'],
    at: '2:3',
    value: '%0',
    phrase: 'operand dim 0 (size 2) cannot broadcast to result dim 1 (size 3) of [4,3]',
  },
  {
    op: 'slice',
    params: '%x: f32[4]',
    body: ['%0: f32[5] = slice %x {start=[0], limit=[5], stride=[1]}'],
    at: '2:3',
    value: '%0',
    phrase: 'slice [0:5] out of range for dim 0 of f32[4]',
  },
  {
    op: 'pad',
    params: '%x: f32[3]',
    body: ['%0: f32[3] = pad %x {low=[0], high=[0], interior=[-1], value=0}'],
    at: '2:3',
    value: '%0',
    phrase: 'pad amounts for dim 0 must be integers with interior >= 0',
  },
  {
    op: 'concat',
    params: '%a: f32[2,3], %b: f32[2,4]',
    body: ['%0: f32[4,3] = concat %a, %b {axis=0}'],
    at: '2:3',
    value: '%0',
    phrase: 'operand #1 f32[2,4] does not match f32[2,3] outside axis 0',
  },
  { op: 'reduce_sum', params: '%x: f32[2,3]', body: ['%0: f32[2] = reduce_sum %x {axes=[2]}'], at: '2:3', value: '%0', phrase: 'axis 2 out of range for rank 2' },
  { op: 'reduce_max', params: '%x: f32[2,3]', body: ['%m: f32[] = reduce_max %x {axes=[1,0]}'], at: '2:3', value: '%m', phrase: 'axes [1,0] must be strictly increasing' },
  { op: 'reduce_min', params: '%x: bool[4]', body: ['%0: bool[] = reduce_min %x {axes=[0]}'], at: '2:3', value: '%0', phrase: 'operand must be f32, i32 or u32, got bool[4]' },
  { op: 'argmax', params: '%x: f32[0,3]', body: ['%0: i32[3] = argmax %x {axis=0}'], at: '2:3', value: '%0', phrase: 'cannot take argmax over empty axis 0 of f32[0,3]' },
  { op: 'argmin', params: '%x: f32[2,3]', body: ['%0: i32[2] = argmin %x {axis=-1}'], at: '2:3', value: '%0', phrase: 'axis -1 out of range for rank 2' },
  {
    op: 'matmul',
    params: '%a: f32[2,3], %b: f32[4,5]',
    body: ['%0: f32[2,5] = matmul %a, %b'],
    at: '2:3',
    value: '%0',
    phrase: 'contracting dims differ: f32[2,3] @ f32[4,5] (3 vs 4)',
  },
  {
    op: 'conv',
    params: '%x: f32[1,5,5,4], %w: f32[3,3,3,8]',
    body: ['%0: f32[1,3,3,8] = conv %x, %w {stride=[1,1], padding=[[0,0],[0,0]], lhs_dilation=[1,1], rhs_dilation=[1,1], groups=1}'],
    at: '2:3',
    value: '%0',
    phrase: 'input channels 4 != kernel in-channels 3 x groups 1',
  },
  {
    op: 'reduce_window',
    params: '%x: f32[1,4,4,1]',
    body: [`%0: f32[1,2,2,1] = reduce_window %x {kind="avg", ${POOL}}`],
    at: '2:3',
    value: '%0',
    phrase: 'kind must be "max" or "sum", got "avg"',
  },
  {
    op: 'select_and_scatter_add',
    params: '%src: f32[1,3,3,1], %x: f32[1,4,4,1]',
    body: [`%0: f32[1,4,4,1] = select_and_scatter_add %src, %x {${POOL}}`],
    at: '2:3',
    value: '%0',
    phrase: 'source f32[1,3,3,1] must be f32[1,2,2,1], the pooled shape of f32[1,4,4,1]',
  },
  { op: 'gather', params: '%t: f32[5,3], %i: f32[2]', body: ['%0: f32[2,3] = gather %t, %i {axis=0}'], at: '2:3', value: '%0', phrase: 'indices must be i32 or u32, got f32[2]' },
  {
    op: 'scatter_add',
    params: '%t: f32[5,3], %i: i32[2], %u: f32[3,3]',
    body: ['%0: f32[5,3] = scatter_add %t, %i, %u {axis=0}'],
    at: '2:3',
    value: '%0',
    phrase: 'updates f32[3,3] must be f32[2,3] for operand f32[5,3] and indices i32[2]',
  },
  { op: 'constant', params: '', body: ['%c: f32[2,2] = constant {value=[1,2,3]}'], at: '2:3', value: '%c', phrase: 'value has 3 elements but f32[2,2] needs 4' },
  { op: 'iota', params: '', body: ['%0: i32[2,3] = iota {dim=2}'], at: '2:3', value: '%0', phrase: 'dim 2 out of range for rank 2' },
  { op: 'random_bits', params: '%k: u32[3]', body: ['%0: u32[4] = random_bits %k'], at: '2:3', value: '%0', phrase: 'key must be u32[2], got u32[3]' },
  {
    op: 'call',
    text: `${KERNEL_K}graph @bad(%x: f32[3]) -> (out: f32[4]) {\n  %0: f32[4] = call %x {callee=@k}\n  return %0\n}\n`,
    at: '7:3',
    value: '%0',
    phrase: 'operand #0 is f32[3] but @k expects f32[4]',
  },

  // Extras: further checks of the same rules.
  {
    op: 'select',
    params: '%p: bool[3], %a: f32[2], %b: f32[2]',
    body: ['%0: f32[2] = select %p, %a, %b'],
    at: '2:3',
    value: '%0',
    phrase: 'predicate bool[3] must have the shape of the branches f32[2]',
  },
  {
    op: 'select',
    params: '%p: bool[2], %a: f32[2], %b: i32[2]',
    body: ['%0: f32[2] = select %p, %a, %b'],
    at: '2:3',
    value: '%0',
    phrase: 'branches must have the same type, got f32[2] and i32[2]',
  },
  {
    op: 'pad',
    params: '%x: f32[2]',
    body: ['%0: f32[0] = pad %x {low=[-2], high=[-1], interior=[0], value=0}'],
    at: '2:3',
    value: '%0',
    phrase: 'negative padding crops dim 0 of f32[2] below zero',
  },
  {
    op: 'transpose',
    params: '%x: f32[2,3]',
    body: ['%0: f32[3,2] = transpose %x {perm=[1,0,2]}'],
    at: '2:3',
    value: '%0',
    phrase: 'perm must have 2 entries (one per dimension), got 3',
  },
  { op: 'broadcast', params: '%x: f32[2,3]', body: ['%0: f32[3,2] = broadcast %x {dims=[1,0], shape=[3,2]}'], at: '2:3', value: '%0', phrase: 'dims [1,0] must be strictly increasing' },
  { op: 'slice', params: '%x: f32[4]', body: ['%0: f32[2] = slice %x {start=[0], limit=[2], stride=[0]}'], at: '2:3', value: '%0', phrase: 'stride must be positive integers, got [0]' },
  {
    op: 'slice',
    params: '%x: f32[4]',
    body: ['%0: f32[0] = slice %x {start=[3], limit=[2], stride=[1]}'],
    at: '2:3',
    value: '%0',
    phrase: 'slice [3:2] out of range for dim 0 of f32[4]',
  },
  { op: 'reshape', params: '%x: f32[2,3]', body: ['%0: f32[6] = reshape %x {shape=[-6]}'], at: '2:3', value: '%0', phrase: 'shape must be non-negative integers, got [-6]' },
  {
    op: 'concat',
    params: '%a: f32[2], %b: i32[2]',
    body: ['%0: f32[4] = concat %a, %b {axis=0}'],
    at: '2:3',
    value: '%0',
    phrase: 'operand #1 i32[2] does not match f32[2] outside axis 0',
  },
  { op: 'concat', params: '%a: f32[2]', body: ['%0: f32[2] = concat %a {axis=1}'], at: '2:3', value: '%0', phrase: 'axis 1 out of range for rank 1' },
  { op: 'matmul', params: '%a: f32[2,3,4], %b: f32[3,4,5]', body: ['%0: f32[2,3,5] = matmul %a, %b'], at: '2:3', value: '%0', phrase: 'batch dims differ: f32[2,3,4] and f32[3,4,5]' },
  { op: 'matmul', params: '%a: f32[4], %b: f32[4]', body: ['%0: f32[] = matmul %a, %b'], at: '2:3', value: '%0', phrase: 'operands must have equal rank >= 2' },
  { op: 'matmul', params: '%a: f32[2,3], %b: i32[3,4]', body: ['%0: f32[2,4] = matmul %a, %b'], at: '2:3', value: '%0', phrase: 'operand dtypes differ: f32[2,3] and i32[3,4]' },
  {
    op: 'conv',
    params: '%x: f32[1,4,4], %w: f32[1,2,3]',
    body: ['%0: f32[1,4,3] = conv %x, %w {stride=[1], padding=[[0,0]], lhs_dilation=[1], rhs_dilation=[1], groups=2}'],
    at: '2:3',
    value: '%0',
    phrase: 'output channels 3 not divisible by groups 2',
  },
  {
    op: 'conv',
    params: '%x: f32[1,4,4], %w: f32[1,4,3]',
    body: ['%0: f32[1,4,3] = conv %x, %w {stride=[1,1], padding=[[0,0]], lhs_dilation=[1], rhs_dilation=[1], groups=1}'],
    at: '2:3',
    value: '%0',
    phrase: 'stride must have 1 entries (one per dimension), got 2',
  },
  {
    op: 'conv',
    params: '%x: f32[1,4,4], %w: f32[1,4,3]',
    body: ['%0: f32[1,4,3] = conv %x, %w {stride=[1], padding=[[0,0]], lhs_dilation=[1], rhs_dilation=[0], groups=1}'],
    at: '2:3',
    value: '%0',
    phrase: 'rhs_dilation must be positive integers, got [0]',
  },
  {
    op: 'conv',
    params: '%x: i32[1,4,4], %w: f32[1,4,3]',
    body: ['%0: f32[1,4,3] = conv %x, %w {stride=[1], padding=[[0,0]], lhs_dilation=[1], rhs_dilation=[1], groups=1}'],
    at: '2:3',
    value: '%0',
    phrase: 'input must be f32, got i32[1,4,4]',
  },
  {
    op: 'reduce_window',
    params: '%x: f32[4]',
    body: ['%0: f32[3] = reduce_window %x {kind="sum", window=[2], stride=[1], padding=[[-1,0]]}'],
    at: '2:3',
    value: '%0',
    phrase: 'padding must be non-negative',
  },
  {
    op: 'reduce_window',
    params: '%x: f32[4]',
    body: ['%0: f32[2] = reduce_window %x {kind="sum", window=[2], stride=[2], padding=[]}'],
    at: '2:3',
    value: '%0',
    phrase: 'padding must have 1 entries',
  },
  { op: 'gather', params: '%t: f32[5,3], %i: i32[2]', body: ['%0: f32[2,3] = gather %t, %i {axis=2}'], at: '2:3', value: '%0', phrase: 'axis 2 out of range for rank 2' },
  { op: 'iota', params: '', body: ['%0: bool[3] = iota {dim=0}'], at: '2:3', value: '%0', phrase: 'result must be f32, i32 or u32, got bool[3]' },
  {
    op: 'random_bits',
    params: '%k: u32[2]',
    body: ['%0: i32[4] = random_bits %k'],
    at: '2:3',
    value: '%0',
    phrase: 'result must be u32 (raw bits) or f32 (uniform in [0,1)), got i32[4]',
  },
  { op: 'constant', params: '%x: f32[2]', body: ['%c: f32[2] = constant %x {value=1}'], at: '2:3', value: '%c', phrase: 'expects 0 operand(s), got 1' },
  { op: 'call', text: `graph @bad(%x: f32[4]) -> (out: f32[4]) {\n  %0: f32[4] = call %x {callee=@nope}\n  return %0\n}\n`, at: '2:3', value: '%0', phrase: 'no kernel @nope' },
  {
    op: 'call',
    text: `${KERNEL_K}graph @bad(%x: f32[4]) -> (out: f32[4]) {\n  %0: f32[4] = call %x, %x {callee=@k}\n  return %0\n}\n`,
    at: '7:3',
    value: '%0',
    phrase: '@k takes 1 operand(s), got 2',
  },
  {
    op: 'call',
    text: `${KERNEL_K}graph @bad(%x: f32[4]) -> (out: f32[2,2]) {\n  %y: f32[2,2] = call %x {callee=@k}\n  return %y\n}\n`,
    at: '7:3',
    value: '%y',
    phrase: '@k returns f32[4], call is annotated f32[2,2]',
  },
];

function textOf(c: Case): string {
  if (c.text !== undefined) return c.text;
  return graph(c.params ?? '', c.body ?? []);
}

describe('verifier diagnostics per op', () => {
  it('has at least one invalid case for every op', () => {
    const covered = new Set(CASES.map((c) => c.op));
    expect(OP_KINDS.filter((op) => !covered.has(op))).toEqual([]);
  });

  CASES.forEach((c, i) => {
    it(`#${i} ${c.op}: ${c.phrase}`, () => {
      const diags = verifyText(textOf(c), 'bad.kir');
      expect(diags).toHaveLength(1);
      const d = diags[0] ?? '';
      expect(d).toContain(`bad.kir:${c.at}: error: `);
      expect(d).toContain(`${c.op}: `);
      expect(d).toContain(`(value ${c.value})`);
      expect(d).toContain(c.phrase);
    });
  });
});
