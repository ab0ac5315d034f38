// dimOf / lastDim: a user's tensor without the dim an op reads is a KilnError at the user's call
// naming the op and the shape, never a silent 0 or 1 size.
import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import * as k from '@kiln/frontend';
import { dimOf, lastDim } from '../src/dims.js';

describe('dimOf / lastDim', () => {
  it('read a dim, counting negative axes from the end', () => {
    const seen: number[] = [];
    k.trace(
      ({ x }) => {
        seen.push(dimOf(x, 0, 'test'), dimOf(x, -2, 'test'), lastDim(x, 'test'));
        return x;
      },
      { x: k.f32([2, 3, 4]) },
    );
    expect(seen).toEqual([2, 3, 4]);
  });

  it('report a missing dim as a user error naming the op and the shape', () => {
    expect(() => k.trace(({ x }) => (lastDim(x, 'layerNorm'), x), { x: k.f32([]) })).toThrow(KilnError);
    expect(() => k.trace(({ x }) => (dimOf(x, 2, 'graphConv'), x), { x: k.f32([5, 3]) })).toThrow(/graphConv needs a dim 2 of its input, got \[5, ?3\] \(rank 2\)/);
  });

  it('layers that read the feature dim reject a scalar input instead of sizing a parameter 0 or 1', () => {
    expect(() => k.trace(({ x }) => k.nn.layerNorm(x), { x: k.f32([]) })).toThrow(/layerNorm needs a dim -1 of its input/);
  });
});
