// GraphBuilder: every node is type-checked as it is added; errors are KilnErrors naming the op and
// the traced source location, and a failed add leaves the graph unchanged.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, KilnError, formatDiagnostic, print, verify, type Graph } from '../src/index.js';
import { catchKiln, f32, i32 } from './helpers.js';

const LOC = { file: 'model.ts', line: 7 } as const;

describe('GraphBuilder', () => {
  it('infers result types and builds a graph that verifies', () => {
    const b = new GraphBuilder('mlp');
    const x = b.input('x', f32(32, 784));
    const w = b.input('w', f32(784, 128), { state: true });
    const bias = b.input('b', f32(128), { state: true });
    const mm = b.add('matmul', [x, w], {});
    const bb = b.add('broadcast', [bias], { dims: [1], shape: [32, 128] });
    const s = b.add('add', [mm, bb], {});
    const zero = b.add('constant', [], { value: 0 }, { type: f32(32, 128) });
    const relu = b.add('max', [s, zero], {});
    b.output(relu, 'out');
    expect(b.typeOf(mm)).toEqual(f32(32, 128));
    expect(b.typeOf(relu)).toEqual(f32(32, 128));
    const g = b.build();
    expect(g.inputs.map((i) => [i.id, i.name, i.state])).toEqual([
      [0, 'x', false],
      [1, 'w', true],
      [2, 'b', true],
    ]);
    expect(g.nodes.map((n) => [n.id, n.op])).toEqual([
      [3, 'matmul'],
      [4, 'broadcast'],
      [5, 'add'],
      [6, 'constant'],
      [7, 'max'],
    ]);
    expect(verify(g)).toEqual([]);
  });

  it('throws a KilnError naming the op and the traced source line on a type error', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    const y = b.input('y', f32(3));
    const e = catchKiln(() => b.add('add', [x, y], {}, { loc: LOC }));
    expect(e.message).toBe('error: add: operands must have the same type, got f32[2] and f32[3] [operands: f32[2], f32[3]] [traced at model.ts:7]');
    expect(e.diagnostics).toHaveLength(1);
    expect(e.diagnostics[0]?.op).toBe('add');
    expect(e.diagnostics[0]?.source).toEqual(LOC);
  });

  it('includes the column of the traced location when known', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', i32(2));
    const e = catchKiln(() => b.add('exp', [x], {}, { loc: { file: 'net.ts', line: 3, col: 14 } }));
    expect(e.message).toBe('error: exp: operand must be f32, got i32[2] [operands: i32[2]] [traced at net.ts:3:14]');
  });

  it('rejects an annotated type that differs from the inferred one', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    const e = catchKiln(() => b.add('neg', [x], {}, { type: f32(3), loc: LOC }));
    expect(e.message).toBe('error: neg: annotated type f32[3] does not match inferred f32[2] [traced at model.ts:7]');
    const e2 = catchKiln(() => b.add('eq', [x, x], {}, { type: f32(2) }));
    expect(e2.message).toBe('error: eq: annotated type f32[2] does not match inferred bool[2]');
  });

  it('accepts a matching annotated type', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    expect(b.typeOf(b.add('neg', [x], {}, { type: f32(2) }))).toEqual(f32(2));
  });

  it('requires the result type of source ops', () => {
    const b = new GraphBuilder('g');
    expect(catchKiln(() => b.add('constant', [], { value: 0 })).message).toBe('error: constant: constant needs its result type annotated [operands: none]');
    expect(catchKiln(() => b.add('iota', [], { dim: 0 })).message).toContain('iota: iota needs its result type annotated');
  });

  it('checks arity before anything else', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    expect(catchKiln(() => b.add('add', [x], {}, { loc: LOC })).message).toBe('error: add: expects 2 operand(s), got 1 [traced at model.ts:7]');
    expect(catchKiln(() => b.add('concat', [], { axis: 0 })).message).toBe('error: concat: expects at least 1 operand(s), got 0');
  });

  it('rejects undefined operands, duplicate and invalid input names, and outputs of unknown values', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    expect(catchKiln(() => b.add('neg', [99], {})).message).toBe('error: value #99 is not defined in @g');
    expect(catchKiln(() => b.input('x', f32(2))).message).toBe('error: duplicate input name %x');
    expect(catchKiln(() => b.input('1x', f32(2))).message).toBe('error: invalid input name "1x"');
    expect(catchKiln(() => b.input('a b', f32(2))).message).toBe('error: invalid input name "a b"');
    expect(catchKiln(() => b.output(42, 'out')).message).toBe('error: value #42 is not defined in @g');
    expect(b.has(x)).toBe(true);
    expect(b.has(42)).toBe(false);
  });

  it('leaves the graph unchanged when an add fails', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    const before = print(b.build());
    expect(() => b.add('reshape', [x], { shape: [3] })).toThrow(KilnError);
    const n = b.add('neg', [x], {});
    b.output(n, 'out');
    const g = b.build();
    expect(g.nodes).toHaveLength(1);
    expect(g.nodes[0]?.id).toBe(1);
    expect(before).toBe('graph @g(%x: f32[2]) -> () {\n  return\n}\n');
    expect(verify(g)).toEqual([]);
  });

  it('copies shapes so later mutation of the caller arrays cannot change the graph', () => {
    const b = new GraphBuilder('g');
    const shape = [2, 3];
    const x = b.input('x', { dtype: 'f32', shape });
    const target = [3, 2];
    const r = b.add('reshape', [x], { shape: target });
    shape[0] = 99;
    target[0] = 99;
    const g = b.build();
    expect(g.inputs[0]?.type.shape).toEqual([2, 3]);
    expect(g.nodes[0]?.type.shape).toEqual([3, 2]);
    expect(b.typeOf(r).shape).toEqual([3, 2]);
  });

  it('records names, locations and annotations on nodes', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2), { annotations: { buf: 4 } });
    const y = b.add('neg', [x], {}, { name: 'y', loc: LOC, annotations: { buf: 0, offset: 16 } });
    b.output(y, 'out');
    const g = b.build();
    expect(g.inputs[0]?.annotations).toEqual({ buf: 4 });
    expect(g.nodes[0]).toMatchObject({ name: 'y', loc: LOC, annotations: { buf: 0, offset: 16 } });
  });

  it('carries traced locations into verifier diagnostics of later-broken graphs', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    b.output(b.add('neg', [x], {}, { loc: LOC }), 'out');
    const g = b.build();
    // A buggy pass that rewrites a node's type without re-inferring it.
    const broken: Graph = { ...g, nodes: g.nodes.map((n) => ({ ...n, type: f32(9) })) };
    expect(verify(broken).map(formatDiagnostic)).toEqual(['error: neg: result annotated f32[9] but the operands give f32[2] (value %0) [traced at model.ts:7]']);
  });

  it('builds kernels (kind kernel) for call', () => {
    const k = new GraphBuilder('k', 'kernel');
    const a = k.input('a', f32(2));
    k.output(k.add('exp', [a], {}), 'out');
    const kernel = k.build();
    expect(kernel.kind).toBe('kernel');
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    b.addKernel(kernel);
    b.output(b.add('call', [x], { callee: 'k' }, { type: f32(2) }), 'out');
    expect(verify(b.build())).toEqual([]);
  });
});
