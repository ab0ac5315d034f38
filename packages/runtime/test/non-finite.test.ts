// locateNonFinite / nonFiniteError / hasNonFinite: the first op that turns finite values into
// NaN/Inf is named with its source line, through fused kernels, ignoring masked intermediates.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, parse, verifyOrThrow, type Graph, type SourceLoc, type TensorType } from '@kiln/ir';
import { hasNonFinite, hostTensor, interpret, locateNonFinite, nonFiniteError, type HostTensor, type NonFiniteSite } from '@kiln/runtime';

const f32 = (...shape: number[]): TensorType => ({ dtype: 'f32', shape });
const at = (line: number, col?: number): SourceLoc => ({ file: 'model.ts', line, ...(col !== undefined ? { col } : {}) });

function nodeSite(site: NonFiniteSite | undefined): Extract<NonFiniteSite, { origin: 'node' }> {
  if (site?.origin !== 'node') throw new Error(`expected a node site, got ${JSON.stringify(site)}`);
  return site;
}

/** %y = exp(log(%x)) * %x: log of a negative element is the origin; exp and mul only propagate. */
function logGraph(): Graph {
  const b = new GraphBuilder('logs');
  const x = b.input('x', f32(4));
  const l = b.add('log', [x], {}, { name: 'l', loc: at(12, 5) });
  const e = b.add('exp', [l], {}, { name: 'e', loc: at(13) });
  const y = b.add('mul', [e, x], {}, { name: 'y', loc: at(14) });
  b.output(y, 'y');
  const g = b.build();
  verifyOrThrow(g);
  return g;
}

describe('locateNonFinite', () => {
  it('names log of a negative, not the ops it propagates through', () => {
    const g = logGraph();
    const site = nodeSite(locateNonFinite(g, [hostTensor(f32(4), [1, 2, -0.1, 4])]));
    expect(site.node.op).toBe('log');
    expect(site.node.loc).toEqual(at(12, 5));
    expect(site).toMatchObject({ kind: 'NaN', index: 2, reachesOutput: true, calls: [] });
    expect(site.operands).toEqual([{ sample: Math.fround(-0.1) }]);
  });

  it('log of zero is -Inf', () => {
    const site = nodeSite(locateNonFinite(logGraph(), [hostTensor(f32(4), [1, 0, 3, 4])]));
    expect(site).toMatchObject({ kind: 'Inf', index: 1 });
    expect(site.node.op).toBe('log');
  });

  it('0/0 is NaN at div, with both operand samples', () => {
    const g = parse(`graph @d(%a: f32[3], %b: f32[3]) -> (q: f32[3]) {
  %s: f32[3] = add %a, %b
  %q: f32[3] = div %a, %s
  return %q
}`);
    const site = nodeSite(locateNonFinite(g, [hostTensor(f32(3), [1, 0, 2]), hostTensor(f32(3), [1, 0, 3])]));
    expect(site).toMatchObject({ kind: 'NaN', index: 1, operands: [{ sample: 0 }, { sample: 0 }] });
    expect(site.node.op).toBe('div');
  });

  it('exp overflow in f32 is Inf; in f64 precision it stays finite', () => {
    const g = parse(`graph @o(%x: f32[2]) -> (y: f32[2]) {
  %e: f32[2] = exp %x
  %y: f32[2] = sub %e, %e
  return %y
}`);
    const site = nodeSite(locateNonFinite(g, [hostTensor(f32(2), [1, 100])]));
    expect(site).toMatchObject({ kind: 'Inf', index: 1 });
    expect(site.node.op).toBe('exp');
    // The NaN that sub makes of inf - inf is propagation, not a second origin.
    expect(locateNonFinite(g, [hostTensor(f32(2), [1, 100], 'f64')], 'f64')).toBeUndefined();
  });

  it('reports a non-finite input as the input itself', () => {
    const g = logGraph();
    const site = locateNonFinite(g, [hostTensor(f32(4), [1, Infinity, NaN, 4])]);
    expect(site).toMatchObject({ origin: 'input', kind: 'NaN', index: 2, reachesOutput: true });
    expect(site?.origin === 'input' ? site.input.name : undefined).toBe('x');
    expect(nonFiniteError(site!, g, 'step').message).toBe('error: step: input %x holds NaN at element 2 (value %x)');
  });

  it('returns undefined when every value is finite', () => {
    expect(locateNonFinite(logGraph(), [hostTensor(f32(4), [1, 2, 3, 4])])).toBeUndefined();
  });

  it('ignores non-f32 results', () => {
    const g = parse(`graph @i(%a: i32[2], %b: i32[2]) -> (q: i32[2]) {
  %q: i32[2] = div %a, %b
  return %q
}`);
    const i32 = { dtype: 'i32', shape: [2] } as const;
    expect(locateNonFinite(g, [hostTensor(i32, [0, 1]), hostTensor(i32, [0, 0])])).toBeUndefined();
  });

  it('prefers the origin that reaches an output over an earlier masked one', () => {
    // select(x > 0, log(x), 0) is finite although log(x) is not; the NaN in %y comes from sqrt.
    const g = parse(`graph @m(%x: f32[2]) -> (z: f32[2], y: f32[2]) {
  %zero: f32[2] = constant {value=0}
  %p: bool[2] = gt %x, %zero
  %l: f32[2] = log %x
  %z: f32[2] = select %p, %l, %zero
  %y: f32[2] = sqrt %x
  return %z, %y
}`);
    const site = nodeSite(locateNonFinite(g, [hostTensor(f32(2), [-1, 2])]));
    expect(site.node.op).toBe('sqrt');
    expect(site.reachesOutput).toBe(true);

    // Without the sqrt output, the masked log is still reported, flagged as such.
    const masked = parse(`graph @m(%x: f32[2]) -> (z: f32[2]) {
  %zero: f32[2] = constant {value=0}
  %p: bool[2] = gt %x, %zero
  %l: f32[2] = log %x
  %z: f32[2] = select %p, %l, %zero
  return %z
}`);
    const m = nodeSite(locateNonFinite(masked, [hostTensor(f32(2), [-1, 2])]));
    expect(m).toMatchObject({ kind: 'NaN', index: 0, reachesOutput: false });
    expect(m.node.op).toBe('log');
    expect(nonFiniteError(m, masked, 'step').message).toContain('masked before reaching any output');
  });

  it('descends into a fused kernel and names the primitive with its loc', () => {
    const kb = new GraphBuilder('fused_sub_log', 'kernel');
    const a = kb.input('in0', f32(3));
    const c = kb.input('in1', f32(3));
    const d = kb.add('sub', [a, c], {}, { name: 'd', loc: at(20, 3) });
    const l = kb.add('log', [d], {}, { name: 'l', loc: at(21, 7) });
    kb.output(l, 'out');
    const kernel = kb.build();

    const b = new GraphBuilder('main');
    const x = b.input('x', f32(3));
    const w = b.input('w', f32(3), { state: true });
    const y = b.add('call', [x, w], { callee: 'fused_sub_log' }, { name: 'y', type: f32(3) });
    const z = b.add('neg', [y], {}, { name: 'z', loc: at(22) });
    b.output(z, 'z');
    b.addKernel(kernel);
    const g = b.build();
    verifyOrThrow(g);

    const inputs: HostTensor[] = [hostTensor(f32(3), [3, 2, 1]), hostTensor(f32(3), [1, 1, 2])];
    expect(hasNonFinite(Object.values(interpret(g, { x: inputs[0]!, w: inputs[1]! })))).toBe(true);
    const site = nodeSite(locateNonFinite(g, inputs));
    expect(site.node.op).toBe('log');
    expect(site.node.loc).toEqual(at(21, 7));
    expect(site.scope).toBe(kernel);
    expect(site.calls.map((n) => n.op)).toEqual(['call']);
    expect(site).toMatchObject({ kind: 'NaN', index: 2, operands: [{ sample: -1 }] });

    const err = nonFiniteError(site, g, 'step');
    expect(err.message).toBe(
      'error: log: produced NaN at element 2 from finite operands (%d[2] = -1) in step (kernel @fused_sub_log called by %y): ' +
        '`%l: f32[3] = log %d` (value %l) [traced at model.ts:21:7]',
    );
    expect(err.diagnostics[0]).toMatchObject({ op: 'log', source: at(21, 7) });
  });

  it('checks input arity', () => {
    expect(() => locateNonFinite(logGraph(), [])).toThrow('@logs takes 1 input(s), got 0');
  });
});

describe('nonFiniteError', () => {
  it('names the op, the source line and the IR line', () => {
    const g = logGraph();
    const site = locateNonFinite(g, [hostTensor(f32(4), [1, 2, -0.1, 4])])!;
    const err = nonFiniteError(site, g, 'step');
    expect(err.name).toBe('KilnError');
    expect(err.message).toBe('error: log: produced NaN at element 2 from finite operands (%x[2] = -0.1) in step: `%l: f32[4] = log %x` (value %l) [traced at model.ts:12:5]');
  });

  it('says "no operands" for a source op such as a nan constant', () => {
    const g = parse(`graph @c(%x: f32[2]) -> (y: f32[2]) {
  %n: f32[2] = constant {value=nan}
  %y: f32[2] = add %x, %n
  return %y
}`);
    const site = nodeSite(locateNonFinite(g, [hostTensor(f32(2), [1, 2])]));
    expect(site.node.op).toBe('constant');
    expect(nonFiniteError(site, g, 'step').message).toBe(
      '<ir>:2:3: error: constant: produced NaN at element 0 from no operands in step: `%n: f32[2] = constant {value=nan}` (value %n)',
    );
  });
});

describe('hasNonFinite', () => {
  it('looks at f32 tensors only', () => {
    expect(hasNonFinite([hostTensor(f32(2), [1, 2])])).toBe(false);
    expect(hasNonFinite([hostTensor(f32(2), [1, 2]), hostTensor(f32(1), [-Infinity])])).toBe(true);
    expect(hasNonFinite([hostTensor(f32(1), [NaN], 'f64')])).toBe(true);
    expect(hasNonFinite([hostTensor({ dtype: 'i32', shape: [1] }, [NaN])])).toBe(false);
    expect(hasNonFinite([])).toBe(false);
  });
});
