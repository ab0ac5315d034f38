// The CPU Backend: compile once, run repeatedly with state kept inside the executable. A tiny
// linear model trained by two hand-differentiated SGD steps written in IR text.

import { describe, expect, it } from 'vitest';
import { KilnError, parse } from '@kiln/ir';
import { createCpuBackend, toNumberArray } from '@kiln/runtime';

// pred = x @ w + b, loss = ½ Σ (pred − y)², so dloss/dpred = r = pred − y,
// dw = xᵀ r, db = Σ r, and SGD with lr = 1/8 (exact in binary) updates w and b.
const sgdText = `
graph @sgd(%x: f32[2,2], %y: f32[2], %w: f32[2,1] {state}, %b: f32[] {state}) -> (loss: f32[], %w: f32[2,1], %b: f32[]) {
  %xw: f32[2,1] = matmul %x, %w
  %xwf: f32[2] = reshape %xw {shape=[2]}
  %bb: f32[2] = broadcast %b {dims=[], shape=[2]}
  %pred: f32[2] = add %xwf, %bb
  %r: f32[2] = sub %pred, %y
  %r2: f32[2] = mul %r, %r
  %ss: f32[] = reduce_sum %r2 {axes=[0]}
  %half: f32[] = constant {value=0.5}
  %loss: f32[] = mul %ss, %half
  %xt: f32[2,2] = transpose %x {perm=[1,0]}
  %rc: f32[2,1] = reshape %r {shape=[2,1]}
  %gw: f32[2,1] = matmul %xt, %rc
  %gb: f32[] = reduce_sum %r {axes=[0]}
  %lrw: f32[2,1] = constant {value=0.125}
  %lrb: f32[] = constant {value=0.125}
  %sw: f32[2,1] = mul %gw, %lrw
  %w2: f32[2,1] = sub %w, %sw
  %sb: f32[] = mul %gb, %lrb
  %b2: f32[] = sub %b, %sb
  return %loss, %w2, %b2
}
`;

// x = [[1,0],[1,1]], y = [1,3], w = [0,0], b = 0.
// Step 1: pred = [0,0], r = [-1,-3], loss = ½(1+9) = 5; dw = [-1-3, -3] = [-4,-3], db = -4;
//         w = [0.5, 0.375], b = 0.5.
// Step 2: pred = [0.5+0.5, 0.5+0.375+0.5] = [1, 1.375], r = [0, -1.625], loss = ½·2.640625 = 1.3203125;
//         dw = [-1.625, -1.625], db = -1.625; w = [0.703125, 0.578125], b = 0.703125.
const batch = { x: [1, 0, 1, 1], y: [1, 3] };

describe('CPU backend', () => {
  it('runs a 2-step SGD loop, updating state between runs', async () => {
    const backend = createCpuBackend();
    expect(backend.name).toBe('cpu');
    const exe = await backend.compile(parse(sgdText));
    expect(exe.stateNames).toEqual(['w', 'b']);
    // State starts as zeros.
    expect(toNumberArray(await exe.getState('w'))).toEqual([0, 0]);

    const r1 = await exe.run(batch);
    expect(Object.keys(r1)).toEqual(['loss']);
    expect(toNumberArray(r1['loss']!)).toEqual([5]);
    expect(toNumberArray(await exe.getState('w'))).toEqual([0.5, 0.375]);
    expect(toNumberArray(await exe.getState('b'))).toEqual([0.5]);

    const r2 = await exe.run(batch);
    expect(toNumberArray(r2['loss']!)).toEqual([1.3203125]);
    expect(r2['loss']!.data[0]).toBeLessThan(r1['loss']!.data[0]!);
    expect(toNumberArray(await exe.getState('w'))).toEqual([0.703125, 0.578125]);
    expect(toNumberArray(await exe.getState('b'))).toEqual([0.703125]);
    exe.dispose();
  });

  it('takes initial state at compile time and via setState', async () => {
    const backend = createCpuBackend({ precision: 'f64' });
    // Start from step 1's result: the next run must reproduce step 2.
    const exe = await backend.compile(parse(sgdText), { state: { w: [0.5, 0.375], b: 0.5 } });
    expect(toNumberArray((await exe.run(batch))['loss']!)).toEqual([1.3203125]);
    expect((await exe.getState('w')).data).toBeInstanceOf(Float64Array);
    exe.setState('w', [0, 0]);
    exe.setState('b', 0);
    expect(toNumberArray((await exe.run(batch))['loss']!)).toEqual([5]);
  });

  it('getState returns a copy the caller cannot use to corrupt the state', async () => {
    const exe = await createCpuBackend().compile(parse(sgdText));
    const w = await exe.getState('w');
    w.data[0] = 100;
    expect(toNumberArray(await exe.getState('w'))).toEqual([0, 0]);
  });

  it('rejects state passed to run, unknown state, missing inputs and use after dispose', async () => {
    const exe = await createCpuBackend().compile(parse(sgdText));
    await expect(exe.run({ ...batch, w: [1, 1] })).rejects.toThrow(/%w is a state input/);
    await expect(exe.run({ x: batch.x })).rejects.toThrow(/missing input %y/);
    expect(() => exe.setState('x', [1, 2, 3, 4])).toThrow(/no state input %x/);
    expect(() => exe.setState('w', [1])).toThrow(KilnError);
    await expect(createCpuBackend().compile(parse(sgdText), { state: { v: 1 } })).rejects.toThrow(/not a state input/);
    exe.dispose();
    await expect(exe.run(batch)).rejects.toThrow(/disposed/);
  });
});
