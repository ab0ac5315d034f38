// GEMM schedules as data on WebGPU vs the CPU interpreter: a spread of tiled schedules (tile
// shapes, K depths, register blocks, vec4 on and off), a simple and a split-K workgroup size,
// on a matmul with an epilogue and odd sizes, a vec4-eligible matmul, and a conv; plus the
// legality rules (every candidate legal by construction, illegal schedules named and refused).

import { describe, expect, it } from 'vitest';
import { CORE_DEFAULT_LIMITS, COMPAT_DEFAULT_LIMITS, gemmScheduleProblem, scheduleLabel, tiledCandidates, variantSchedule, type GemmSchedule } from '@kiln/codegen-wgsl';
import { acquireDevice, f32, fusedGraph, harness, sample, type Tolerance } from './helpers.js';

const device = await acquireDevice();
const SUM_TOL: Tolerance = { rtol: 1e-5, atol: 1e-5 };

const SCHEDULES: readonly GemmSchedule[] = [
  { kind: 'tiled', tm: 32, tn: 64, tk: 8, rm: 4, rn: 4, vec4: true },
  { kind: 'tiled', tm: 64, tn: 32, tk: 32, rm: 8, rn: 4, vec4: false },
  { kind: 'tiled', tm: 16, tn: 16, tk: 16, rm: 4, rn: 4, vec4: true },
  { kind: 'tiled', tm: 128, tn: 64, tk: 8, rm: 8, rn: 8, vec4: true },
  { kind: 'simple', workgroup: 32 },
  { kind: 'splitk', workgroup: 32 },
];

describe('GEMM schedule legality', () => {
  it('keeps the named variants and every tuner candidate legal on the limits they were made for', () => {
    for (const limits of [CORE_DEFAULT_LIMITS, COMPAT_DEFAULT_LIMITS]) {
      for (const v of ['simple', 'tiled32', 'tiled64', 'tall', 'narrow', 'splitk'] as const)
        for (const n of [3, 16, 300]) expect(gemmScheduleProblem(variantSchedule(v, n, limits), limits), `${v} n=${n}`).toBeUndefined();
      const candidates = tiledCandidates(limits);
      expect(candidates.length).toBeGreaterThan(20);
      for (const s of candidates) expect(gemmScheduleProblem(s, limits), scheduleLabel(s)).toBeUndefined();
    }
    // 'narrow' at N ≤ 4 with 64 invocations needs a 256×16 A tile (16.25 KiB, over the 16 KiB core
    // default): it shrinks to 32 invocations (a 128-row tile) instead of exceeding the limit.
    expect(variantSchedule('narrow', 3, CORE_DEFAULT_LIMITS)).toEqual({ kind: 'tiled', tm: 128, tn: 4, tk: 16, rm: 4, rn: 4, vec4: true });
    expect(variantSchedule('narrow', 3, { ...CORE_DEFAULT_LIMITS, maxComputeWorkgroupStorageSize: 32768 })).toMatchObject({ tm: 256 });
    // Compatibility limits (128 invocations) rule out 16×16 threads; core limits admit them.
    const wide: GemmSchedule = { kind: 'tiled', tm: 64, tn: 64, tk: 16, rm: 4, rn: 4, vec4: true };
    expect(gemmScheduleProblem(wide, COMPAT_DEFAULT_LIMITS)).toMatch(/256 invocations exceed 128/);
    expect(gemmScheduleProblem(wide, CORE_DEFAULT_LIMITS)).toBeUndefined();
    expect(gemmScheduleProblem({ kind: 'tiled', tm: 128, tn: 128, tk: 32, rm: 8, rn: 8, vec4: true }, CORE_DEFAULT_LIMITS)).toMatch(/workgroup storage/);
    expect(gemmScheduleProblem({ kind: 'tiled', tm: 32, tn: 32, tk: 16, rm: 6, rn: 4, vec4: true }, CORE_DEFAULT_LIMITS)).toMatch(/multiples of 4/);
    expect(gemmScheduleProblem({ kind: 'splitk', workgroup: 48 }, CORE_DEFAULT_LIMITS)).toMatch(/power of two/);
  });
});

describe.skipIf(device === undefined)('GEMM schedules: WebGPU vs CPU', () => {
  const h = harness(device!);

  for (const s of SCHEDULES)
    it(`matmul 67x45 @ 45x33 + relu epilogue, odd sizes (${scheduleLabel(s)})`, async () => {
      const g = fusedGraph('sched_matmul', { a: f32(67, 45), b: f32(45, 33) }, (kb, { a, b }) =>
        kb.add('max', [kb.add('matmul', [a!, b!], {}), kb.add('constant', [], { value: 0 }, { type: f32(67, 33) })], {}),
      );
      const { kernels } = await h.check(g, { a: sample(f32(67, 45), 31), b: sample(f32(45, 33), 32) }, SUM_TOL, { gemm: s });
      expect(kernels[0]!.template).toBe(`matmul-${scheduleLabel(s)}`);
    });

  it('matmul 256x8 @ 8x3 (the narrow variant at its smallest N) matches', async () => {
    const g = fusedGraph('narrow3', { a: f32(256, 8), b: f32(8, 3) }, (kb, { a, b }) => kb.add('matmul', [a!, b!], {}));
    const { kernels } = await h.check(g, { a: sample(f32(256, 8), 37), b: sample(f32(8, 3), 38) }, SUM_TOL);
    expect(kernels[0]!.template).toBe('matmul-narrow');
  });

  it('conv 4x16x16x32 * 3x3x32x32 picks the tall variant and matches', async () => {
    const g = fusedGraph('tall_conv', { x: f32(4, 16, 16, 32), w: f32(3, 3, 32, 32) }, (kb, { x, w }) =>
      kb.add('conv', [x!, w!], {
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 1,
      }),
    );
    const { kernels } = await h.check(g, { x: sample(f32(4, 16, 16, 32), 39), w: sample(f32(3, 3, 32, 32), 40) }, { rtol: 1e-4, atol: 1e-4 });
    expect(kernels[0]!.template).toBe('conv-tall');
  });

  it('matmul 300x20 @ 20x24 (tall, N and M not tile multiples) matches', async () => {
    const g = fusedGraph('tall_mm', { a: f32(300, 20), b: f32(20, 24) }, (kb, { a, b }) => kb.add('matmul', [a!, b!], {}));
    const { kernels } = await h.check(g, { a: sample(f32(300, 20), 41), b: sample(f32(20, 24), 42) }, SUM_TOL);
    expect(kernels[0]!.template).toBe('matmul-tall');
  });

  for (const s of SCHEDULES)
    it(`matmul 66x44 @ 44x72, both operands vec4-eligible (${scheduleLabel(s)})`, async () => {
      const g = fusedGraph('sched_vec4', { a: f32(66, 44), b: f32(44, 72) }, (kb, { a, b }) => kb.add('matmul', [a!, b!], {}));
      const { kernels } = await h.check(g, { a: sample(f32(66, 44), 33), b: sample(f32(44, 72), 34) }, SUM_TOL, { gemm: s });
      const vec4Inputs = kernels[0]!.bindings.all.filter((b) => b.element === 'vec4<f32>').length;
      expect(vec4Inputs).toBe(s.kind === 'tiled' && s.vec4 ? 2 : 0);
    });

  // The backward pass's products: Xᵀ·dY (A a transposed input) and dY·Wᵀ (B a transposed input),
  // read in place along the stored contiguous dim (vec4 where it divides by 4), and a transposed
  // expression (relu of an input) that no vec4 load can serve.
  for (const s of SCHEDULES)
    it(`matmul with transposed operands read in place, 36x20ᵀ @ 36x44 and 20x36 @ 44x36ᵀ (${scheduleLabel(s)})`, async () => {
      const g = fusedGraph('sched_at', { x: f32(36, 20), dy: f32(36, 44) }, (kb, { x, dy }) => kb.add('matmul', [kb.add('transpose', [x!], { perm: [1, 0] }), dy!], {}));
      const { kernels } = await h.check(g, { x: sample(f32(36, 20), 43), dy: sample(f32(36, 44), 44) }, SUM_TOL, { gemm: s });
      expect(kernels[0]!.template).toBe(`matmul-${scheduleLabel(s)}`);
      // Aᵀ is stored [k, m] with m = 20 (divisible by 4): vec4 loads of x and dy in vec4 schedules.
      expect(kernels[0]!.bindings.all.filter((b) => b.element === 'vec4<f32>').length).toBe(s.kind === 'tiled' && s.vec4 ? 2 : 0);
      const g2 = fusedGraph('sched_bt', { dy: f32(20, 36), w: f32(44, 36) }, (kb, { dy, w }) => kb.add('matmul', [dy!, kb.add('transpose', [w!], { perm: [1, 0] })], {}));
      const r2 = await h.check(g2, { dy: sample(f32(20, 36), 45), w: sample(f32(44, 36), 46) }, SUM_TOL, { gemm: s });
      expect(r2.kernels[0]!.bindings.all.filter((b) => b.element === 'vec4<f32>').length).toBe(s.kind === 'tiled' && s.vec4 ? 2 : 0);
      const g3 = fusedGraph('sched_relu_t', { h: f32(33, 19), dy: f32(33, 21) }, (kb, { h: hh, dy }) => {
        const relu = kb.add('max', [hh!, kb.add('constant', [], { value: 0 }, { type: f32(33, 19) })], {});
        return kb.add('matmul', [kb.add('transpose', [relu], { perm: [1, 0] }), dy!], {});
      });
      await h.check(g3, { h: sample(f32(33, 19), 47), dy: sample(f32(33, 21), 48) }, SUM_TOL, { gemm: s });
    });

  it('batched matmul with a transposed B (perm [0, 2, 1]) matches', async () => {
    const g = fusedGraph('batched_bt', { a: f32(3, 12, 8), w: f32(3, 16, 8) }, (kb, { a, w }) => kb.add('matmul', [a!, kb.add('transpose', [w!], { perm: [0, 2, 1] })], {}));
    await h.check(g, { a: sample(f32(3, 12, 8), 49), w: sample(f32(3, 16, 8), 50) }, SUM_TOL, { gemm: { kind: 'tiled', tm: 16, tn: 16, tk: 8, rm: 4, rn: 4, vec4: true } });
  });

  // Channels per group divisible by 4: the input is read as vec4 (one tap, four channels) in vec4
  // schedules, with padding, input dilation and groups on the bounds-checked path.
  const CONVS = [
    {
      name: 'c8',
      x: [2, 7, 7, 8],
      w: [3, 3, 8, 12],
      attrs: {
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [1, 1],
        groups: 1,
      },
    },
    {
      name: 'grouped',
      x: [1, 6, 5, 8],
      w: [3, 3, 4, 8],
      attrs: {
        stride: [1, 2],
        padding: [
          [2, 1],
          [0, 1],
        ],
        lhs_dilation: [1, 1],
        rhs_dilation: [2, 1],
        groups: 2,
      },
    },
    {
      name: 'lhsdil',
      x: [1, 5, 5, 4],
      w: [2, 2, 4, 4],
      attrs: {
        stride: [1, 1],
        padding: [
          [1, 1],
          [1, 1],
        ],
        lhs_dilation: [2, 2],
        rhs_dilation: [1, 1],
        groups: 1,
      },
    },
  ] as const;
  for (const s of SCHEDULES)
    it(`conv with vec4 input taps, ${CONVS.map((c) => c.name).join(', ')} (${scheduleLabel(s)})`, async () => {
      for (const [i, c] of CONVS.entries()) {
        const g = fusedGraph(`conv4_${c.name}`, { x: f32(...c.x), w: f32(...c.w) }, (kb, { x, w }) =>
          kb.add('conv', [x!, w!], {
            stride: [...c.attrs.stride],
            padding: c.attrs.padding.map(([lo, hi]) => [lo, hi]),
            lhs_dilation: [...c.attrs.lhs_dilation],
            rhs_dilation: [...c.attrs.rhs_dilation],
            groups: c.attrs.groups,
          }),
        );
        const { kernels } = await h.check(g, { x: sample(f32(...c.x), 51 + i), w: sample(f32(...c.w), 61 + i) }, { rtol: 1e-4, atol: 1e-4 }, { gemm: s });
        const vec4x = kernels[0]!.bindings.all.some((b) => b.role === 'input' && b.input === 0 && b.element === 'vec4<f32>');
        expect(vec4x, c.name).toBe(s.kind === 'tiled' && s.vec4);
      }
    });

  for (const s of SCHEDULES)
    it(`conv 2x9x9x3 * 3x3x3x8, stride 2 (${scheduleLabel(s)})`, async () => {
      const g = fusedGraph('sched_conv', { x: f32(2, 9, 9, 3), w: f32(3, 3, 3, 8) }, (kb, { x, w }) =>
        kb.add('conv', [x!, w!], {
          stride: [2, 2],
          padding: [
            [1, 1],
            [1, 1],
          ],
          lhs_dilation: [1, 1],
          rhs_dilation: [1, 1],
          groups: 1,
        }),
      );
      const { kernels } = await h.check(g, { x: sample(f32(2, 9, 9, 3), 35), w: sample(f32(3, 3, 3, 8), 36) }, SUM_TOL, { gemm: s });
      expect(kernels[0]!.template).toBe(`conv-${scheduleLabel(s)}`);
    });
});
