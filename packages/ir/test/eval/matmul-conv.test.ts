// matmul and conv eval rules: hand-computed cases, integer wrapping, zero-size contraction, and
// conv with stride, padding, both dilations and groups against a naive reference written here.

import { describe, expect, it } from 'vitest';
import { arg, evalNums, evalOp, f32, i32, randoms } from './helpers.js';

describe('matmul', () => {
  it('matmul: [2,3] @ [3,2]', () => {
    // [[1,2,3],[4,5,6]] @ [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
    expect(evalNums('matmul', [arg(f32(2, 3), [1, 2, 3, 4, 5, 6]), arg(f32(3, 2), [7, 8, 9, 10, 11, 12])], {})).toEqual([58, 64, 139, 154]);
  });

  it('matmul: batched [2,1,2] @ [2,2,1]', () => {
    // batch 0: [1,2]·[3,4] = 11; batch 1: [5,6]·[7,8] = 83
    expect(evalNums('matmul', [arg(f32(2, 1, 2), [1, 2, 5, 6]), arg(f32(2, 2, 1), [3, 4, 7, 8])], {})).toEqual([11, 83]);
  });

  it('matmul: i32 products and sums wrap', () => {
    // 65536·65536 = 2^32 ≡ 0; plus 3·4 = 12
    expect(evalNums('matmul', [arg(i32(1, 2), [65536, 3]), arg(i32(2, 1), [65536, 4])], {})).toEqual([12]);
  });

  it('matmul: zero-size contraction gives zeros', () => {
    expect(evalNums('matmul', [arg(f32(2, 0), []), arg(f32(0, 3), [])], {})).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

interface ConvCase {
  readonly n: number;
  readonly spatial: readonly [number, number];
  readonly c: number;
  readonly k: readonly [number, number];
  readonly o: number;
  readonly stride: readonly [number, number];
  readonly padding: readonly [readonly [number, number], readonly [number, number]];
  readonly lhs: readonly [number, number];
  readonly rhs: readonly [number, number];
  readonly groups: number;
}

/**
 * Naive 2-D reference: materialise the dilated, padded input explicitly, then apply the
 * textbook formula out[n,y,x,o] = Σ xp[n, y·sy + ky·dy, x·sx + kx·dx, g·Cg + ci] · w[ky,kx,ci,o].
 */
function naiveConv2d(cs: ConvCase, x: readonly number[], w: readonly number[]): { shape: number[]; data: number[] } {
  const [h, wd] = cs.spatial;
  const dh = (h - 1) * cs.lhs[0] + 1;
  const dw = (wd - 1) * cs.lhs[1] + 1;
  const ph = dh + cs.padding[0][0] + cs.padding[0][1];
  const pw = dw + cs.padding[1][0] + cs.padding[1][1];
  const xp = new Array<number>(cs.n * ph * pw * cs.c).fill(0);
  for (let n = 0; n < cs.n; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < wd; j++)
        for (let c = 0; c < cs.c; c++) {
          const pi = i * cs.lhs[0] + cs.padding[0][0];
          const pj = j * cs.lhs[1] + cs.padding[1][0];
          xp[((n * ph + pi) * pw + pj) * cs.c + c] = x[((n * h + i) * wd + j) * cs.c + c]!;
        }
  const ekh = (cs.k[0] - 1) * cs.rhs[0] + 1;
  const ekw = (cs.k[1] - 1) * cs.rhs[1] + 1;
  const oh = Math.floor((ph - ekh) / cs.stride[0]) + 1;
  const ow = Math.floor((pw - ekw) / cs.stride[1]) + 1;
  const cg = cs.c / cs.groups;
  const og = cs.o / cs.groups;
  const data: number[] = [];
  for (let n = 0; n < cs.n; n++)
    for (let y = 0; y < oh; y++)
      for (let xo = 0; xo < ow; xo++)
        for (let o = 0; o < cs.o; o++) {
          const g = Math.floor(o / og);
          let s = 0;
          for (let ky = 0; ky < cs.k[0]; ky++)
            for (let kx = 0; kx < cs.k[1]; kx++)
              for (let ci = 0; ci < cg; ci++) {
                const yy = y * cs.stride[0] + ky * cs.rhs[0];
                const xx = xo * cs.stride[1] + kx * cs.rhs[1];
                s += xp[((n * ph + yy) * pw + xx) * cs.c + g * cg + ci]! * w[((ky * cs.k[1] + kx) * cg + ci) * cs.o + o]!;
              }
          data.push(s);
        }
  return { shape: [cs.n, oh, ow, cs.o], data };
}

describe('conv', () => {
  it('conv: 2-D stride 2 with padding, fully hand-computed', () => {
    // x = [[1,2,3],[4,5,6],[7,8,9]], kernel [[1,2],[3,4]], padding one row/column before.
    // Padded: [[0,0,0,0],[0,1,2,3],[0,4,5,6],[0,7,8,9]]; windows at rows/cols {0,2}:
    // [0,0;0,1]·k = 4, [0,0;2,3]·k = 6+12 = 18, [0,4;0,7]·k = 8+28 = 36, [5,6;8,9]·k = 5+12+24+36 = 77
    const r = evalOp('conv', [arg(f32(1, 3, 3, 1), [1, 2, 3, 4, 5, 6, 7, 8, 9]), arg(f32(2, 2, 1, 1), [1, 2, 3, 4])], {
      stride: [2, 2],
      padding: [
        [1, 0],
        [1, 0],
      ],
      lhs_dilation: [1, 1],
      rhs_dilation: [1, 1],
      groups: 1,
    });
    expect(r.type.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(r.data)).toEqual([4, 18, 36, 77]);
  });

  it('conv: 1-D with groups 2, lhs_dilation 2, rhs_dilation 2 and padding, hand-computed', () => {
    // Channels: c0 = [1,2,3], c1 = [4,5,6] (interleaved NWC data). Group 0 maps c0 -> out 0 with
    // taps [1,10]; group 1 maps c1 -> out 1 with taps [100,1000]. Kernel data is [K=2, Cg=1, O=2].
    // Dilated+padded c0: [0, 1,0,2,0,3, 0]; dilated kernel reads positions p and p+2 (p = 0..4):
    // p=1: 1·1 + 2·10 = 21, p=3: 2·1 + 3·10 = 32, other p read only holes/padding -> 0.
    // c1: p=1: 4·100 + 5·1000 = 5400, p=3: 5·100 + 6·1000 = 6500.
    const r = evalOp('conv', [arg(f32(1, 3, 2), [1, 4, 2, 5, 3, 6]), arg(f32(2, 1, 2), [1, 100, 10, 1000])], {
      stride: [1],
      padding: [[1, 1]],
      lhs_dilation: [2],
      rhs_dilation: [2],
      groups: 2,
    });
    expect(r.type.shape).toEqual([1, 5, 2]);
    expect(Array.from(r.data)).toEqual([0, 0, 21, 5400, 0, 0, 32, 6500, 0, 0]);
  });

  const cases: readonly ConvCase[] = [
    // stride 2, padding, rhs_dilation 2, lhs_dilation 2, groups 2 all at once (even low padding so the taps hit real elements)
    {
      n: 2,
      spatial: [4, 5],
      c: 4,
      k: [2, 3],
      o: 6,
      stride: [2, 2],
      padding: [
        [2, 1],
        [2, 3],
      ],
      lhs: [2, 2],
      rhs: [2, 2],
      groups: 2,
    },
    // odd stride and undilated kernel in dim 0 so its taps alternate between elements and holes
    {
      n: 1,
      spatial: [5, 4],
      c: 4,
      k: [3, 2],
      o: 4,
      stride: [3, 2],
      padding: [
        [1, 2],
        [2, 0],
      ],
      lhs: [2, 2],
      rhs: [1, 2],
      groups: 2,
    },
    // plain 3x3 same-padding conv
    {
      n: 2,
      spatial: [5, 5],
      c: 3,
      k: [3, 3],
      o: 2,
      stride: [1, 1],
      padding: [
        [1, 1],
        [1, 1],
      ],
      lhs: [1, 1],
      rhs: [1, 1],
      groups: 1,
    },
    // depthwise (groups = channels) with stride 2
    {
      n: 1,
      spatial: [6, 6],
      c: 3,
      k: [3, 3],
      o: 3,
      stride: [2, 2],
      padding: [
        [0, 1],
        [1, 0],
      ],
      lhs: [1, 1],
      rhs: [1, 1],
      groups: 3,
    },
  ];

  cases.forEach((cs, idx) => {
    it(`conv: random case ${idx} (stride ${cs.stride.join('x')}, lhs ${cs.lhs.join('x')}, rhs ${cs.rhs.join('x')}, groups ${cs.groups}) matches the naive reference`, () => {
      const x = randoms(cs.n * cs.spatial[0] * cs.spatial[1] * cs.c, 11 + idx);
      const w = randoms(cs.k[0] * cs.k[1] * (cs.c / cs.groups) * cs.o, 97 + idx);
      const want = naiveConv2d(cs, x, w);
      const r = evalOp(
        'conv',
        [arg(f32(cs.n, cs.spatial[0], cs.spatial[1], cs.c), x), arg(f32(cs.k[0], cs.k[1], cs.c / cs.groups, cs.o), w)],
        { stride: [...cs.stride], padding: cs.padding.map((p) => [p[0], p[1]] as const), lhs_dilation: [...cs.lhs], rhs_dilation: [...cs.rhs], groups: cs.groups },
        { precision: 'f64' },
      );
      expect(r.type.shape).toEqual(want.shape);
      // The reference must be a meaningful target: most outputs nonzero.
      expect(want.data.filter((v) => v !== 0).length).toBeGreaterThan(want.data.length / 2);
      Array.from(r.data).forEach((v, i) => expect(v).toBeCloseTo(want.data[i]!, 12));
    });
  });
});
