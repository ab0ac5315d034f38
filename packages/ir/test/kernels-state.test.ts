// Kernels and `call`, state inputs and state-updating outputs, and memory-plan annotations: how
// they print and parse, and what the verifier reports when they are inconsistent.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, formatDiagnostic, parse, print, verify, type Graph } from '../src/index.js';
import { f32, verifyText } from './helpers.js';

const roundTrips = (g: Graph): void => {
  const text = print(g);
  expect(print(parse(text))).toBe(text);
};

describe('kernels and call', () => {
  function kernel(name: string, inType = f32(4)): Graph {
    const k = new GraphBuilder(name, 'kernel');
    const a = k.input('a', inType);
    const b = k.input('b', inType);
    k.output(k.add('mul', [a, b], {}), 'out');
    return k.build();
  }

  it('prints kernels before the graph and round-trips', () => {
    const b = new GraphBuilder('main');
    const x = b.input('x', f32(4));
    b.addKernel(kernel('fused_mul'));
    const y = b.add('call', [x, x], { callee: 'fused_mul' }, { type: f32(4) });
    b.output(y, 'y');
    const g = b.build();
    expect(print(g)).toBe(
      [
        'kernel @fused_mul(%a: f32[4], %b: f32[4]) -> (out: f32[4]) {',
        '  %0: f32[4] = mul %a, %b',
        '  return %0',
        '}',
        '',
        'graph @main(%x: f32[4]) -> (y: f32[4]) {',
        '  %0: f32[4] = call %x, %x {callee=@fused_mul}',
        '  return %0',
        '}',
        '',
      ].join('\n'),
    );
    expect(verify(g)).toEqual([]);
    const parsed = parse(print(g));
    expect(parsed.kernels.map((k) => [k.kind, k.name])).toEqual([['kernel', 'fused_mul']]);
    roundTrips(g);
  });

  it('checks call operands and result against the kernel signature', () => {
    const b = new GraphBuilder('main');
    const x = b.input('x', f32(4));
    const z = b.input('z', f32(3));
    b.addKernel(kernel('k'));
    b.output(b.add('call', [x, z], { callee: 'k' }, { type: f32(4) }), 'bad_operand');
    b.output(b.add('call', [x, x], { callee: 'k' }, { type: f32(2, 2) }), 'bad_result');
    b.output(b.add('call', [x], { callee: 'k' }, { type: f32(4) }), 'bad_count');
    const diags = verify(b.build()).map(formatDiagnostic);
    expect(diags).toEqual([
      'error: call: operand #1 is f32[3] but @k expects f32[4] (value %0)',
      'error: call: @k returns f32[4], call is annotated f32[2,2] (value %1)',
      'error: call: @k takes 2 operand(s), got 1 (value %2)',
    ]);
  });

  it('rejects kernels with state inputs or several outputs, and duplicate kernels', () => {
    const text = [
      'kernel @two(%a: f32[2] {state}) -> (p: f32[2], q: f32[2]) {',
      '  return %a, %a',
      '}',
      '',
      'graph @g(%x: f32[2]) -> (out: f32[2]) {',
      '  %0: f32[2] = call %x {callee=@two}',
      '  return %0',
      '}',
      '',
    ].join('\n');
    const diags = verifyText(text, 'k.kir');
    expect(diags).toContain('k.kir: error: kernel @two must not have state inputs');
    expect(diags).toContain('k.kir:6:3: error: call: @two must return exactly one value (value %0)');
    const b = new GraphBuilder('g');
    b.addKernel(kernel('k'));
    expect(() => b.addKernel(kernel('k'))).toThrow('duplicate kernel @k');
  });
});

describe('state inputs and updates', () => {
  const train = (sig: string, body: string, ret: string): string => `graph @train(%w: f32[2] {state}, %x: f32[2]) -> (${sig}) {\n${body}  return ${ret}\n}\n`;

  it('parses {state} inputs and %name outputs that update them', () => {
    const text = train('%w: f32[2], loss: f32[2]', '  %0: f32[2] = sub %w, %x\n', '%0, %0');
    const g = parse(text);
    expect(g.inputs.map((i) => [i.name, i.state])).toEqual([
      ['w', true],
      ['x', false],
    ]);
    expect(g.outputs).toEqual([
      { value: 2, name: 'w', updatesState: true },
      { value: 2, name: 'loss', updatesState: false },
    ]);
    expect(verify(g)).toEqual([]);
    expect(print(g)).toBe(text);
  });

  it('rejects updating a non-state input', () => {
    expect(verifyText(train('%x: f32[2]', '  %0: f32[2] = neg %x\n', '%0'))).toEqual(['bad.kir: error: output %x updates state, but there is no state input %x (value %0)']);
  });

  it('rejects updating a state input that does not exist', () => {
    expect(verifyText(train('%v: f32[2]', '  %0: f32[2] = neg %x\n', '%0'))).toEqual(['bad.kir: error: output %v updates state, but there is no state input %v (value %0)']);
  });

  it('rejects a state update whose type differs from the input', () => {
    const body = '  %0: f32[4] = concat %w, %x {axis=0}\n';
    expect(verifyText(train('%w: f32[4]', body, '%0'))).toEqual(['bad.kir: error: state update %w has type f32[4], input has f32[2] (value %0)']);
  });

  it('rejects updating the same state twice, and duplicate output names', () => {
    expect(verifyText(train('%w: f32[2], %w: f32[2]', '  %0: f32[2] = neg %w\n', '%0, %w'))).toEqual(['bad.kir: error: state %w is updated twice (value %w)']);
    expect(verifyText(train('y: f32[2], y: f32[2]', '', '%w, %x'))).toEqual(['bad.kir: error: duplicate output name y (value %x)']);
  });
});

describe('annotations', () => {
  const text = [
    'graph @plan(%a: f32[4] {state, buf=1, offset=0}, %b: f32[4] {buf=2}) -> (%a: f32[4], out: f32[4]) {',
    '  %0: f32[4] = add %a, %b {buf=0, offset=256}',
    '  %1: f32[4] = concat %0 {axis=0, buf=3, inplace=0}',
    '  return %1, %0',
    '}',
    '',
  ].join('\n');

  it('parses annotations on parameters and nodes and prints them after attributes', () => {
    const g = parse(text);
    expect(g.inputs[0]?.annotations).toEqual({ buf: 1, offset: 0 });
    expect(g.inputs[0]?.state).toBe(true);
    expect(g.inputs[1]?.annotations).toEqual({ buf: 2 });
    expect(g.nodes[0]?.annotations).toEqual({ buf: 0, offset: 256 });
    expect(g.nodes[1]?.annotations).toEqual({ buf: 3, inplace: 0 });
    expect(g.nodes[1]?.attrs).toEqual({ axis: 0 });
    expect(verify(g)).toEqual([]);
    expect(print(g)).toBe(text);
  });

  it('prints annotations in canonical order wherever they were written', () => {
    const shuffled = text.replace('{buf=0, offset=256}', '{offset=256, buf=0}').replace('{axis=0, buf=3, inplace=0}', '{inplace=0, buf=3, axis=0}');
    expect(shuffled).not.toBe(text);
    expect(print(parse(shuffled))).toBe(text);
  });

  it('reports invalid annotation values built in memory', () => {
    const b = new GraphBuilder('g');
    const x = b.input('x', f32(2));
    b.output(b.add('neg', [x], {}, { annotations: { buf: -1 } }), 'out');
    expect(verify(b.build()).map(formatDiagnostic)).toEqual(['error: neg: annotation buf must be a non-negative integer (value %0)']);
  });
});
