// Backprop semantics beyond single-op gradient checks: tie-breaking, non-differentiable ops,
// pruning, unconnected inputs, gradients of intermediates, errors, and the adjoint (dot-product) test.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, KilnError, interpret, parse, print, verify, type Graph, type ValueId } from '@kiln/ir';
import { appendGradients, dotProductTest, gradGraph } from '../../src/autodiff/index.js';
import { f32, i32, rand, randoms } from './helpers.js';

/** Gradient of Σ body(x) at `xs`, through gradGraph and the f64 interpreter. */
function gradOfSum(shape: number[], xs: number[], body: (b: GraphBuilder, x: ValueId) => ValueId): number[] {
  const b = new GraphBuilder('g');
  const x = b.input('x', f32(...shape));
  const y = body(b, x);
  b.output(b.add('reduce_sum', [y], { axes: b.typeOf(y).shape.map((_, i) => i) }), 'loss');
  const out = interpret(gradGraph(b.build(), { of: 'loss', wrt: ['x'] }), { x: xs }, { precision: 'f64' });
  return Array.from(out['grad_x']!.data);
}

describe('tie-breaking', () => {
  it('binary max/min split the cotangent evenly at ties', () => {
    const b = new GraphBuilder('t');
    const a = b.input('a', f32(3));
    const c = b.input('c', f32(3));
    const m = b.add('max', [a, c], {});
    const n = b.add('min', [a, c], {});
    const w = b.add('constant', [], { value: [1, 10, 100] }, { type: f32(3) });
    const loss = b.add('reduce_sum', [b.add('mul', [b.add('add', [m, b.add('mul', [n, w], {})], {}), w], {})], { axes: [0] });
    b.output(loss, 'loss');
    const out = interpret(gradGraph(b.build(), { of: 'loss', wrt: ['a', 'c'] }), { a: [1, 5, 2], c: [1, 3, 7] }, { precision: 'f64' });
    // loss = Σ w·max + w²·min. Tie at 0: each side gets half of both (1 + 1)/2; elsewhere the winner takes it.
    expect(Array.from(out['grad_a']!.data)).toEqual([1, 10, 100 * 100]);
    expect(Array.from(out['grad_c']!.data)).toEqual([1, 100, 100]);
  });

  it('reduce_max splits evenly among tied maxima', () => {
    expect(gradOfSum([2, 3], [3, 1, 3, 2, 2, 2], (b, x) => b.add('reduce_max', [x], { axes: [1] }))).toEqual([0.5, 0, 0.5, 1 / 3, 1 / 3, 1 / 3]);
  });

  it('reduce_window max sends the cotangent to the first maximum of each window', () => {
    const g = gradOfSum([1, 4, 1], [2, 2, 1, 2], (b, x) =>
      b.add('reduce_window', [x], {
        kind: 'max',
        window: [1, 2, 1],
        stride: [1, 1, 1],
        padding: [
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      }),
    );
    // windows (2,2) (2,1) (1,2): first maxima at 0, 1, 3.
    expect(g).toEqual([1, 1, 0, 1]);
  });

  it('select_and_scatter_add’s VJP agrees with the op on ties, padding and all-padding windows (adjoint test)', () => {
    const b = new GraphBuilder('sas');
    const src = b.input('src', f32(1, 5, 3));
    const x = b.input('x', f32(1, 4, 3));
    const attrs = {
      window: [1, 3, 1],
      stride: [1, 1, 1],
      padding: [
        [0, 0],
        [3, 0],
        [0, 0],
      ] as [number, number][],
    };
    b.output(b.add('select_and_scatter_add', [src, x], attrs), 'out');
    const xs = [1, 1, -Infinity, 1, 0, -Infinity, 0, 1, 2, 0, 1, 2];
    const r = dotProductTest(b.build(), { of: ['out'], wrt: ['src'], inputs: { src: randoms(15, 3), x: xs } });
    expect(r.relError).toBeLessThan(1e-9);
    expect(Math.abs(r.vDotVjp)).toBeGreaterThan(1e-2);
  });
});

describe('non-differentiable ops and pruning', () => {
  it('floor, round, ceil and sign pass no gradient', () => {
    const g = gradOfSum([3], [0.3, 1.7, -2.2], (b, x) => {
      const parts = (['floor', 'round', 'ceil', 'sign'] as const).map((op) => b.add(op, [x], {}));
      return parts.reduce((acc, p) => b.add('add', [acc, p], {}), x);
    });
    expect(g).toEqual([1, 1, 1]);
  });

  it('stop_gradient cuts the path: d/dx Σ x·stop_gradient(x) = x', () => {
    const xs = [0.5, -2, 3];
    expect(gradOfSum([3], xs, (b, x) => b.add('mul', [x, b.add('stop_gradient', [x], {})], {}))).toEqual(xs);
  });

  it('abs uses the subgradient 0 at 0; pow gives 0 (not NaN) for the exponent at base 0 and for the base at exponent 0', () => {
    expect(gradOfSum([3], [0, -2, 3], (b, x) => b.add('abs', [x], {}))).toEqual([0, -1, 1]);
    const b = new GraphBuilder('p');
    const a = b.input('a', f32(2));
    const e = b.input('e', f32(2));
    b.output(b.add('reduce_sum', [b.add('pow', [a, e], {})], { axes: [0] }), 'loss');
    const out = interpret(gradGraph(b.build(), { of: 'loss', wrt: ['a', 'e'] }), { a: [0, 0], e: [2, 0] }, { precision: 'f64' });
    expect(Array.from(out['grad_a']!.data)).toEqual([0, 0]);
    expect(Array.from(out['grad_e']!.data)).toEqual([0, 0]);
  });

  it('an input that does not influence the output gets a zeros constant', () => {
    const b = new GraphBuilder('u');
    const x = b.input('x', f32(2));
    b.input('z', f32(3));
    b.output(b.add('reduce_sum', [b.add('exp', [x], {})], { axes: [0] }), 'loss');
    const g = gradGraph(b.build(), { of: 'loss', wrt: ['z'] });
    const gz = g.nodes.find((n) => n.id === g.outputs.find((o) => o.name === 'grad_z')!.value)!;
    expect(gz.op).toBe('constant');
    expect(Array.from(interpret(g, { x: [1, 2], z: [1, 2, 3] })['grad_z']!.data)).toEqual([0, 0, 0]);
  });

  it('visits only nodes on a path from the wrt inputs to the output', () => {
    const b = new GraphBuilder('prune');
    const a = b.input('a', f32(4));
    const c = b.input('c', f32(4));
    const ea = b.add('exp', [a], {});
    const ec = b.add('tanh', [c], {});
    b.output(b.add('reduce_sum', [b.add('add', [ea, ec], {})], { axes: [0] }), 'loss');
    const fwd = b.build();
    const g = gradGraph(fwd, { of: 'loss', wrt: ['a'] });
    const added = g.nodes.slice(fwd.nodes.length);
    // d/da = exp(a): the broadcast of the seed times the primal exp; nothing about tanh(c).
    expect(added.map((n) => n.op).sort()).toEqual(['broadcast', 'constant', 'mul']);
  });

  it('differentiates with respect to an intermediate value (TF-style gradients)', () => {
    const b = new GraphBuilder('mid');
    const x = b.input('x', f32(3));
    const h = b.add('mul', [x, x], {});
    const y = b.add('reduce_sum', [b.add('sin', [h], {})], { axes: [0] });
    const one = b.add('constant', [], { value: 1 }, { type: f32() });
    const [dh, dx] = appendGradients(b, [y], [one], [h, x]);
    b.output(dh!, 'dh');
    b.output(dx!, 'dx');
    const xs = [0.3, -0.7, 1.1];
    const out = interpret(b.build(), { x: xs }, { precision: 'f64' });
    xs.forEach((v, i) => {
      expect(out['dh']!.data[i]).toBeCloseTo(Math.cos(v * v), 14);
      expect(out['dx']!.data[i]).toBeCloseTo(Math.cos(v * v) * 2 * v, 14);
    });
  });

  it('sums cotangents over fan-out and over repeated operands', () => {
    // y = Σ x·x + 3·exp(x): each use of x contributes.
    const g = gradOfSum([2], [0.5, -1], (b, x) => {
      const three = b.add('constant', [], { value: 3 }, { type: f32(2) });
      return b.add('add', [b.add('mul', [x, x], {}), b.add('mul', [three, b.add('exp', [x], {})], {})], {});
    });
    expect(g[0]).toBeCloseTo(1 + 3 * Math.exp(0.5), 14);
    expect(g[1]).toBeCloseTo(-2 + 3 * Math.exp(-1), 14);
  });
});

describe('errors', () => {
  function withCall(): Graph {
    const kb = new GraphBuilder('k_exp', 'kernel');
    const kx = kb.input('x', f32(2));
    kb.output(kb.add('exp', [kx], {}), 'out');
    const b = new GraphBuilder('fused');
    b.addKernel(kb.build());
    const x = b.input('x', f32(2));
    const c = b.add('call', [x], { callee: 'k_exp' }, { type: f32(2) });
    b.output(b.add('reduce_sum', [c], { axes: [0] }), 'loss');
    return b.build();
  }

  it('refuses to differentiate through a fused kernel call, naming the op', () => {
    expect(() => gradGraph(withCall(), { of: 'loss', wrt: ['x'] })).toThrow(KilnError);
    expect(() => gradGraph(withCall(), { of: 'loss', wrt: ['x'] })).toThrow(/call: cannot differentiate through call: autodiff runs on the unfused graph/);
  });

  it('rejects integer wrt values, non-scalar grad outputs and mismatched seeds', () => {
    const b = new GraphBuilder('e');
    const x = b.input('x', f32(2));
    b.input('k', i32(2));
    b.output(b.add('exp', [x], {}), 'vec');
    const g = b.build();
    expect(() => gradGraph(g, { of: 'vec', wrt: ['x'] })).toThrow(/must be a scalar/);
    const b2 = new GraphBuilder('e2');
    const x2 = b2.input('x', f32(2));
    const k2 = b2.input('k', i32(2));
    const y2 = b2.add('exp', [x2], {});
    expect(() => appendGradients(b2, [y2], [x2], [k2])).toThrow(/with respect to i32\[2\]/);
    expect(() => appendGradients(b2, [y2], [b2.add('constant', [], { value: 1 }, { type: f32() })], [x2])).toThrow(/seed f32\[\] does not match/);
  });
});

describe('gradient graphs as IR', () => {
  it('print and parse round-trip and verify (kiln print --grad)', () => {
    const b = new GraphBuilder('conv_net');
    const x = b.input('x', f32(1, 5, 5, 2));
    const w = b.input('w', f32(3, 3, 1, 4), { state: true });
    const c = b.add('conv', [x, w], {
      stride: [2, 2],
      padding: [
        [1, 1],
        [1, 1],
      ],
      lhs_dilation: [1, 1],
      rhs_dilation: [1, 1],
      groups: 2,
    });
    const p = b.add('reduce_window', [c], {
      kind: 'max',
      window: [1, 2, 2, 1],
      stride: [1, 1, 1, 1],
      padding: [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    });
    b.output(b.add('reduce_sum', [p], { axes: [0, 1, 2, 3] }), 'loss');
    const g = gradGraph(b.build(), { of: 'loss', wrt: ['x', 'w'] });
    expect(verify(g)).toEqual([]);
    expect(g.outputs.map((o) => o.name)).toEqual(['loss', 'grad_x', 'grad_w']);
    const text = print(g);
    expect(print(parse(text))).toBe(text);
  });

  it('passes the adjoint test for a grouped, strided, dilated conv (all outputs, both operands)', () => {
    const b = new GraphBuilder('adj');
    const x = b.input('x', f32(2, 6, 5, 4));
    const w = b.input('w', f32(2, 3, 2, 6));
    b.output(
      b.add('conv', [x, w], {
        stride: [2, 1],
        padding: [
          [2, 1],
          [0, 2],
        ],
        lhs_dilation: [1, 2],
        rhs_dilation: [2, 1],
        groups: 2,
      }),
      'y',
    );
    const r = dotProductTest(b.build(), { of: ['y'], wrt: ['x', 'w'], inputs: { x: rand(1, 2, 6, 5, 4).data, w: rand(2, 2, 3, 2, 6).data } });
    expect(r.relError).toBeLessThan(1e-8);
  });
});
