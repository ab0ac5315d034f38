// The gradient checker itself: it must flag a symbolic gradient that disagrees with finite
// differences (here round(), whose zero gradient is wrong across its jump), report per input, and
// its adjoint test must be exact for a linear map and flag the same disagreement.

import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '@kiln/ir';
import { dotProductTest, gradcheck } from '../../src/autodiff/index.js';
import { f32 } from './helpers.js';

function roundPlusSquare(): ReturnType<GraphBuilder['build']> {
  const b = new GraphBuilder('jump');
  const x = b.input('x', f32(2));
  const w = b.input('w', f32(2));
  const y = b.add('add', [b.add('round', [x], {}), b.add('mul', [w, w], {})], {});
  b.output(y, 'y');
  b.output(b.add('reduce_sum', [y], { axes: [0] }), 'loss');
  return b.build();
}

describe('gradcheck utility', () => {
  it('reports agreement per input and flags a disagreeing one', () => {
    // x sits 1e-7 below round()'s jump at 0.5: the central difference sees a step of 1 over 2e-6.
    const r = gradcheck(roundPlusSquare(), { of: 'loss', wrt: ['x', 'w'], inputs: { x: [0.5 - 1e-7, 2.2], w: [0.3, -0.4] } });
    expect(r.inputs['w']!.maxRelError).toBeLessThan(1e-8);
    expect(r.inputs['w']!.symbolic).toEqual([0.6, -0.8]);
    expect(r.inputs['x']!.symbolic).toEqual([0, 0]);
    expect(r.inputs['x']!.numeric[0]).toBeGreaterThan(1e5);
    expect(r.inputs['x']!.maxRelError).toBeCloseTo(1, 12);
    expect(r.maxRelError).toBe(r.inputs['x']!.maxRelError);
  });

  it('the adjoint test is exact for a linear map and flags the jump', () => {
    const b = new GraphBuilder('lin');
    const x = b.input('x', f32(3));
    b.output(b.add('slice', [b.add('pad', [x], { low: [1], high: [2], interior: [1], value: 0 })], { start: [0], limit: [8], stride: [3] }), 'y');
    const lin = dotProductTest(b.build(), { of: ['y'], wrt: ['x'], inputs: { x: [1, 2, 3] }, seed: 5 });
    expect(lin.relError).toBeLessThan(1e-9);
    expect(Math.abs(lin.jvpDotU)).toBeGreaterThan(1e-3);
    const bad = dotProductTest(roundPlusSquare(), { of: ['y'], wrt: ['x'], inputs: { x: [0.5 - 1e-7, 1.5 + 1e-7], w: [0, 0] }, seed: 2 });
    expect(bad.relError).toBeGreaterThan(0.5);
  });
});
