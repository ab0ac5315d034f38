// Convolution and pooling composites against naive JS loops over NHWC/HWIO arrays, with padding
// amounts worked out by hand for 'same' and 'causal'.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { evaluate, expectClose, seq } from './helpers.js';

interface Conv2dCase {
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  o: number;
  stride: [number, number];
  pad: [[number, number], [number, number]];
  dil: [number, number];
  groups: number;
}

/** Direct NHWC x HWIO convolution with explicit padding (zeros), stride, kernel dilation, groups. */
function jsConv2d(x: number[], wt: number[], p: Conv2dCase): { out: number[]; oh: number; ow: number } {
  const ekh = (p.kh - 1) * p.dil[0] + 1;
  const ekw = (p.kw - 1) * p.dil[1] + 1;
  const oh = Math.floor((p.h + p.pad[0][0] + p.pad[0][1] - ekh) / p.stride[0]) + 1;
  const ow = Math.floor((p.w + p.pad[1][0] + p.pad[1][1] - ekw) / p.stride[1]) + 1;
  const cg = p.c / p.groups;
  const og = p.o / p.groups;
  const out: number[] = [];
  for (let b = 0; b < p.n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < p.o; o++) {
          const g = Math.floor(o / og);
          let s = 0;
          for (let di = 0; di < p.kh; di++)
            for (let dj = 0; dj < p.kw; dj++) {
              const y = i * p.stride[0] - p.pad[0][0] + di * p.dil[0];
              const xx = j * p.stride[1] - p.pad[1][0] + dj * p.dil[1];
              if (y < 0 || y >= p.h || xx < 0 || xx >= p.w) continue;
              for (let ci = 0; ci < cg; ci++) {
                const xv = x[((b * p.h + y) * p.w + xx) * p.c + g * cg + ci]!;
                const wv = wt[((di * p.kw + dj) * cg + ci) * p.o + o]!;
                s += xv * wv;
              }
            }
          out.push(s);
        }
  return { out, oh, ow };
}

describe('conv2d', () => {
  it("'same' padding with stride 2 pads [1,1] x [0,1] for a 5x4 input and 3x3 kernel", () => {
    const p: Conv2dCase = {
      n: 2,
      h: 5,
      w: 4,
      c: 2,
      kh: 3,
      kw: 3,
      o: 3,
      stride: [2, 2],
      pad: [
        [1, 1],
        [0, 1],
      ],
      dil: [1, 1],
      groups: 1,
    };
    const x = seq(p.n * p.h * p.w * p.c, 0.1, -1);
    const w = seq(p.kh * p.kw * p.c * p.o, 0.05, -0.7);
    const want = jsConv2d(x, w, p);
    expect([want.oh, want.ow]).toEqual([3, 2]);
    const out = evaluate(({ x, w }) => k.conv2d(x, w, { stride: 2, padding: 'same' }), { x: k.f32([2, 5, 4, 2]), w: k.f32([3, 3, 2, 3]) }, { x, w });
    expectClose(out['out']!, want.out, 1e-9);
  });

  it('valid padding, kernel dilation and groups', () => {
    const p: Conv2dCase = {
      n: 1,
      h: 6,
      w: 6,
      c: 4,
      kh: 2,
      kw: 2,
      o: 4,
      stride: [1, 2],
      pad: [
        [0, 0],
        [0, 0],
      ],
      dil: [2, 1],
      groups: 2,
    };
    const x = seq(p.h * p.w * p.c, 0.03, -2);
    const w = seq(p.kh * p.kw * 2 * p.o, 0.1, -1);
    const want = jsConv2d(x, w, p);
    const out = evaluate(({ x, w }) => k.conv2d(x, w, { stride: [1, 2], dilation: [2, 1], groups: 2 }), { x: k.f32([1, 6, 6, 4]), w: k.f32([2, 2, 2, 4]) }, { x, w });
    expectClose(out['out']!, want.out, 1e-9);
  });

  it('explicit padding pairs', () => {
    const p: Conv2dCase = {
      n: 1,
      h: 3,
      w: 3,
      c: 1,
      kh: 2,
      kw: 2,
      o: 1,
      stride: [1, 1],
      pad: [
        [2, 0],
        [0, 1],
      ],
      dil: [1, 1],
      groups: 1,
    };
    const x = seq(9, 1, 1);
    const w = [1, 2, 3, 4];
    const out = evaluate(
      ({ x, w }) =>
        k.conv2d(x, w, {
          padding: [
            [2, 0],
            [0, 1],
          ],
        }),
      { x: k.f32([1, 3, 3, 1]), w: k.f32([2, 2, 1, 1]) },
      { x, w },
    );
    expectClose(out['out']!, jsConv2d(x, w, p).out, 1e-12);
  });

  it('rejects a non-NHWC input naming the shape', () => {
    expect(() => k.trace(({ x, w }) => k.conv2d(x, w), { x: k.f32([3, 3, 1]), w: k.f32([2, 2, 1, 1]) })).toThrowError(/conv2d: input must be NHWC \(rank 4\), got \[3,3,1\]/);
  });
});

describe('conv1d', () => {
  it("'causal' padding: output t sees inputs t-2d..t only", () => {
    // x [1, 5, 1], kernel [3, 1, 1] = [a, b, c] applies a·x[t-2] + b·x[t-1] + c·x[t] (zeros before 0).
    const x = [1, 2, 3, 4, 5];
    const w = [100, 10, 1];
    const out = evaluate(({ x, w }) => k.conv1d(x, w, { padding: 'causal' }), { x: k.f32([1, 5, 1]), w: k.f32([3, 1, 1]) }, { x, w });
    expect(out['out']).toEqual([1, 12, 123, 234, 345]);
    const dil = evaluate(({ x, w }) => k.conv1d(x, w, { padding: 'causal', dilation: 2 }), { x: k.f32([1, 5, 1]), w: k.f32([3, 1, 1]) }, { x, w });
    // a·x[t-4] + b·x[t-2] + c·x[t]
    expect(dil['out']).toEqual([1, 2, 13, 24, 135]);
  });

  it("'same' keeps the length", () => {
    const out = evaluate(({ x, w }) => k.conv1d(x, w, { padding: 'same' }), { x: k.f32([1, 4, 1]), w: k.f32([3, 1, 1]) }, { x: [1, 2, 3, 4], w: [1, 1, 1] });
    expect(out['out']).toEqual([3, 6, 9, 7]);
  });
});

describe('pooling', () => {
  // 1 x 4 x 4 x 1 input 0..15
  const x = seq(16);
  it('maxPool2d 2x2 stride 2', () => {
    const out = evaluate(({ x }) => k.maxPool2d(x, 2), { x: k.f32([1, 4, 4, 1]) }, { x });
    expect(out['out']).toEqual([5, 7, 13, 15]);
  });

  it('avgPool2d valid, and same padding that excludes padded cells from the count', () => {
    const out = evaluate(({ x }) => ({ v: k.avgPool2d(x, 2), s: k.avgPool2d(x, 3, { stride: 2, padding: 'same' }) }), { x: k.f32([1, 4, 4, 1]) }, { x });
    expect(out['v']).toEqual([2.5, 4.5, 10.5, 12.5]);
    // 'same', 4 with window 3 stride 2: out 2, total pad 1 → [0,1]. Windows rows {0,1,2},{2,3} x cols likewise.
    const avg = (rs: number[], cs: number[]): number => {
      const vals = rs.flatMap((r) => cs.map((c) => r * 4 + c));
      return vals.reduce((a, b) => a + b, 0) / vals.length;
    };
    expectClose(out['s']!, [avg([0, 1, 2], [0, 1, 2]), avg([0, 1, 2], [2, 3]), avg([2, 3], [0, 1, 2]), avg([2, 3], [2, 3])], 1e-12);
  });
});
