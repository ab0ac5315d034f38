// Hand-fused kernels of every class on WebGPU vs the CPU interpreter: elementwise chains
// through layout ops, reductions with prologue and epilogue (both variants), softmax and
// layer_norm row kernels, matmul/conv with epilogues (every GEMM variant, odd sizes, batches).

import { describe, expect, it } from 'vitest';
import type { GraphBuilder, ValueId } from '@kiln/ir';
import type { GemmVariant } from '@kiln/codegen-wgsl';
import { acquireDevice, f32, fusedGraph, harness, i32, sample, EXACT, F32_TOL, type Tolerance } from './helpers.js';

const device = await acquireDevice();
const SUM_TOL: Tolerance = { rtol: 1e-5, atol: 1e-5 };
const GEMM_VARIANTS: readonly GemmVariant[] = ['simple', 'tiled32', 'tiled64', 'narrow', 'splitk'];

function bcast(kb: GraphBuilder, v: ValueId, dims: number[], shape: number[]): ValueId {
  return kb.add('broadcast', [v], { dims, shape });
}

function scalar(kb: GraphBuilder, value: number, shape: number[]): ValueId {
  return kb.add('constant', [], { value }, { type: f32(...shape) });
}

describe.skipIf(device === undefined)('fused kernels: WebGPU vs CPU', () => {
  const h = harness(device!);

  it('elementwise chain through transpose, broadcast, slice, pad and concat', async () => {
    const g = fusedGraph('chain', { a: f32(8, 6), b: f32(6), c: f32(6, 4) }, (kb, { a, b, c }) => {
      const ct = kb.add('transpose', [c!], { perm: [1, 0] });
      const bb = bcast(kb, b!, [1], [4, 6]);
      const as = kb.add('slice', [a!], { start: [1, 0], limit: [8, 6], stride: [2, 1] });
      const y = kb.add('mul', [kb.add('add', [ct, bb], {}), kb.add('exp', [as], {})], {});
      const p = kb.add('pad', [kb.add('slice', [y], { start: [0, 0], limit: [4, 3], stride: [1, 1] })], { low: [0, 1], high: [0, -1], interior: [0, 0], value: -1 });
      return kb.add('tanh', [kb.add('concat', [y, p], { axis: 1 })], {});
    });
    await h.check(g, { a: sample(f32(8, 6), 1), b: sample(f32(6), 2), c: sample(f32(6, 4), 3) }, { rtol: 1e-5, atol: 1e-6 });
  });

  for (const variant of ['serial', 'tree'] as const)
    it(`reduction with prologue and epilogue (${variant})`, async () => {
      // out[j] = sqrt(Σ_i (x^T)[i,j]²) + bias[j], reducing a transposed operand over axis 0.
      const g = fusedGraph('norms', { x: f32(37, 90), bias: f32(37) }, (kb, { x, bias }) => {
        const xt = kb.add('transpose', [x!], { perm: [1, 0] });
        const sq = kb.add('mul', [xt, xt], {});
        const s = kb.add('reduce_sum', [sq], { axes: [0] });
        return kb.add('add', [kb.add('sqrt', [s], {}), bias!], {});
      });
      const { kernels } = await h.check(g, { x: sample(f32(37, 90), 4), bias: sample(f32(37), 5) }, SUM_TOL, { reduction: variant });
      expect(kernels[0]!.template).toBe(`reduction-${variant}`);
    });

  for (const variant of ['serial', 'tree'] as const)
    it(`argmax of a shifted operand, cast in the epilogue (${variant})`, async () => {
      const g = fusedGraph('argmax_shift', { x: f32(5, 70), s: f32(70) }, (kb, { x, s }) => {
        const shifted = kb.add('add', [x!, bcast(kb, s!, [1], [5, 70])], {});
        return kb.add('cast', [kb.add('argmax', [shifted], { axis: 1 })], { dtype: 'f32' });
      });
      const { kernels } = await h.check(g, { x: sample(f32(5, 70), 6), s: sample(f32(70), 7) }, F32_TOL, { reduction: variant });
      expect(kernels[0]!.template).toBe(`reduction-${variant}`);
    });

  for (const subgroups of [false, true])
    it(`tree reductions and row kernels ${subgroups ? 'with subgroup operations (where the device has them)' : 'with the shared-memory tree only'}`, async () => {
      const has = device!.device.features.has('subgroups');
      // i32 max (subgroupMax) and f32 sum (subgroupAdd) over rows of 2000 (workgroups of 256).
      const gi = fusedGraph('imax', { x: i32(3, 2000) }, (kb, { x }) => kb.add('reduce_max', [x!], { axes: [1] }));
      const gf = fusedGraph('fsum', { x: f32(3, 2000) }, (kb, { x }) => kb.add('reduce_sum', [x!], { axes: [1] }));
      const codegen = { reduction: 'tree' as const, subgroups: subgroups && has };
      const ri = await h.check(gi, { x: sample(i32(3, 2000), 40, -1000, 1000) }, EXACT, codegen);
      const rf = await h.check(gf, { x: sample(f32(3, 2000), 41) }, SUM_TOL, codegen);
      for (const k of [ri.kernels[0]!, rf.kernels[0]!]) expect(k.wgsl.includes('enable subgroups;')).toBe(subgroups && has);
    });

  it('softmax row kernel (rank 3, keepdims-style reshape + broadcast)', async () => {
    const shape = [2, 3, 40];
    const g = fusedGraph('softmax', { x: f32(...shape) }, (kb, { x }) => {
      const keep = (v: ValueId): ValueId => bcast(kb, kb.add('reshape', [v], { shape: [2, 3, 1] }), [0, 1, 2], shape);
      const m = kb.add('reduce_max', [x!], { axes: [2] });
      const e = kb.add('exp', [kb.add('sub', [x!, keep(m)], {})], {});
      const s = kb.add('reduce_sum', [e], { axes: [2] });
      return kb.add('div', [e, keep(s)], {});
    });
    const { gpu, kernels } = await h.check(g, { x: sample(f32(...shape), 8, -10, 10) }, { rtol: 1e-5, atol: 1e-6 });
    expect(kernels[0]!.template).toBe('row');
    // Independent check: each row of a softmax sums to 1.
    const d = gpu['out']!.data;
    for (let r = 0; r < 6; r++) expect(Array.from(d.slice(r * 40, r * 40 + 40)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('logsumexp row kernel with a per-row output', async () => {
    const g = fusedGraph('logsumexp', { x: f32(9, 300) }, (kb, { x }) => {
      const m = kb.add('reduce_max', [x!], { axes: [1] });
      const e = kb.add('exp', [kb.add('sub', [x!, bcast(kb, m, [0], [9, 300])], {})], {});
      return kb.add('add', [kb.add('log', [kb.add('reduce_sum', [e], { axes: [1] })], {}), m], {});
    });
    await h.check(g, { x: sample(f32(9, 300), 9, -5, 5) }, { rtol: 1e-5, atol: 1e-5 });
  });

  it('layer_norm row kernel', async () => {
    const [rows, len] = [6, 33];
    const g = fusedGraph('layer_norm', { x: f32(rows, len), gamma: f32(len), beta: f32(len) }, (kb, { x, gamma, beta }) => {
      const row = (v: ValueId): ValueId => bcast(kb, v, [0], [rows, len]);
      const inv = scalar(kb, 1 / len, [rows]);
      const mean = kb.add('mul', [kb.add('reduce_sum', [x!], { axes: [1] }), inv], {});
      const xc = kb.add('sub', [x!, row(mean)], {});
      const variance = kb.add('mul', [kb.add('reduce_sum', [kb.add('mul', [xc, xc], {})], { axes: [1] }), inv], {});
      const rstd = kb.add('rsqrt', [kb.add('add', [variance, scalar(kb, 1e-5, [rows])], {})], {});
      const y = kb.add('mul', [kb.add('mul', [xc, row(rstd)], {}), bcast(kb, gamma!, [1], [rows, len])], {});
      return kb.add('add', [y, bcast(kb, beta!, [1], [rows, len])], {});
    });
    const { kernels } = await h.check(g, { x: sample(f32(rows, len), 10, -3, 5), gamma: sample(f32(len), 11), beta: sample(f32(len), 12) }, { rtol: 1e-4, atol: 1e-5 });
    expect(kernels[0]!.template).toBe('row');
  });

  for (const variant of [...GEMM_VARIANTS, undefined])
    it(`matmul + bias + relu with a transposed operand (${variant ?? 'auto'})`, async () => {
      const [m, k, n] = [70, 36, 130];
      const g = fusedGraph('dense_relu', { x: f32(m, k), wt: f32(n, k), b: f32(n) }, (kb, { x, wt, b }) => {
        const w = kb.add('transpose', [wt!], { perm: [1, 0] });
        const y = kb.add('add', [kb.add('matmul', [x!, w], {}), bcast(kb, b!, [1], [m, n])], {});
        return kb.add('max', [y, scalar(kb, 0, [m, n])], {});
      });
      const { kernels } = await h.check(
        g,
        { x: sample(f32(m, k), 13), wt: sample(f32(n, k), 14), b: sample(f32(n), 15) },
        SUM_TOL,
        variant === undefined ? undefined : { gemm: variant },
      );
      expect(kernels[0]!.template).toBe(`matmul-${variant ?? 'tiled32'}`);
    });

  for (const variant of GEMM_VARIANTS)
    it(`matmul 67x45 @ 45x33, sizes that are not tile multiples (${variant})`, async () => {
      const g = fusedGraph('odd_matmul', { a: f32(67, 45), b: f32(45, 33) }, (kb, { a, b }) => kb.add('matmul', [a!, b!], {}));
      const { kernels } = await h.check(g, { a: sample(f32(67, 45), 16), b: sample(f32(45, 33), 17) }, SUM_TOL, { gemm: variant });
      expect(kernels[0]!.template).toBe(`matmul-${variant}`);
    });

  for (const variant of GEMM_VARIANTS)
    it(`matmul with vec4 loads on both operands, K and N multiples of 4 (${variant})`, async () => {
      const g = fusedGraph('vec4_matmul', { a: f32(66, 44), b: f32(44, 72) }, (kb, { a, b }) => kb.add('mul', [kb.add('matmul', [a!, b!], {}), scalar(kb, 0.5, [66, 72])], {}));
      const { kernels } = await h.check(g, { a: sample(f32(66, 44), 18), b: sample(f32(44, 72), 19) }, SUM_TOL, { gemm: variant });
      const vec4Inputs = kernels[0]!.bindings.all.filter((b) => b.element === 'vec4<f32>').length;
      expect(vec4Inputs).toBe(variant === 'simple' || variant === 'splitk' ? 0 : 2);
    });

  for (const variant of GEMM_VARIANTS)
    it(`batched matmul with the rhs broadcast over the batch (${variant})`, async () => {
      const g = fusedGraph('batched', { a: f32(3, 20, 17), b: f32(17, 29) }, (kb, { a, b }) => kb.add('matmul', [a!, bcast(kb, b!, [1, 2], [3, 17, 29])], {}));
      await h.check(g, { a: sample(f32(3, 20, 17), 20), b: sample(f32(17, 29), 21) }, SUM_TOL, { gemm: variant });
    });

  for (const variant of GEMM_VARIANTS)
    it(`conv + bias + relu as implicit GEMM (${variant})`, async () => {
      const g = fusedGraph('conv_bias', { x: f32(2, 9, 9, 3), w: f32(3, 3, 3, 8), b: f32(8) }, (kb, { x, w, b }) => {
        const c = kb.add('conv', [x!, w!], {
          stride: [2, 1],
          padding: [
            [1, 1],
            [0, 2],
          ],
          lhs_dilation: [1, 1],
          rhs_dilation: [1, 2],
          groups: 1,
        });
        const shape = [...kb.typeOf(c).shape];
        return kb.add('max', [kb.add('add', [c, bcast(kb, b!, [3], shape)], {}), scalar(kb, 0, shape)], {});
      });
      const { kernels } = await h.check(g, { x: sample(f32(2, 9, 9, 3), 22), w: sample(f32(3, 3, 3, 8), 23), b: sample(f32(8), 24) }, SUM_TOL, { gemm: variant });
      expect(kernels[0]!.template).toBe(`conv-${variant}`);
    });

  it('weight gradient of a 3×3 conv (output 3·3·3·6, K = 12·12·4): auto picks splitk and matches', async () => {
    // dW[kh,kw,c,o] = Σ_{n,i,j} x[n,i+kh,j+kw,c]·dy[n,i,j,o]: a conv of x as [C,H,W,N] with dy as HWIO [12,12,N,O].
    const g = fusedGraph('conv_dw', { x: f32(4, 14, 14, 3), dy: f32(4, 12, 12, 6) }, (kb, { x, dy }) =>
      kb.add('conv', [kb.add('transpose', [x!], { perm: [3, 1, 2, 0] }), kb.add('transpose', [dy!], { perm: [1, 2, 0, 3] })], {
        stride: [1, 1],
        padding: [
          [0, 0],
          [0, 0],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 1,
      }),
    );
    expect(g.outputs.length).toBe(1);
    const { kernels } = await h.check(g, { x: sample(f32(4, 14, 14, 3), 27), dy: sample(f32(4, 12, 12, 6), 28) }, SUM_TOL);
    expect(kernels[0]!.template).toBe('conv-splitk');
  });

  it('grouped conv with an input prologue (tiled32)', async () => {
    const g = fusedGraph('conv_groups', { x: f32(1, 8, 8, 6), w: f32(3, 3, 2, 12) }, (kb, { x, w }) =>
      kb.add('conv', [kb.add('tanh', [x!], {}), w!], {
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 3,
      }),
    );
    await h.check(g, { x: sample(f32(1, 8, 8, 6), 25), w: sample(f32(3, 3, 2, 12), 26) }, SUM_TOL, { gemm: 'tiled32' });
  });

  it('random_bits dropout mask in a fused kernel is bit-exact', async () => {
    const g = fusedGraph('dropout', { x: f32(50, 40), key: { dtype: 'u32', shape: [2] } }, (kb, { x, key }) => {
      const u = kb.add('random_bits', [key!], {}, { type: f32(50, 40) });
      const keep = kb.add('ge', [u, scalar(kb, 0.25, [50, 40])], {});
      return kb.add('select', [keep, kb.add('mul', [x!, scalar(kb, 4 / 3, [50, 40])], {}), scalar(kb, 0, [50, 40])], {});
    });
    await h.check(g, { x: sample(f32(50, 40), 27), key: [0xdeadbeef, 7] }, { rtol: 0, atol: 0 });
  });
});
