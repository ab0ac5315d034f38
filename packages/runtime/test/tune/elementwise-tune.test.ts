// The tuner on elementwise kernels: signatures name the ops and the vec4 eligibility, 'quick' fills
// the cache for them, a non-default elementwise schedule from the cache is used (visible in the
// kernel) with the CPU interpreter's results, and cache entries of the wrong kind or shape are refused.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, type Graph } from '@kiln/ir';
import { elementwiseScheduleLabel, type ElementwiseSchedule } from '@kiln/codegen-wgsl';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import {
  adapterIdentity,
  createCpuBackend,
  createWebGpuBackend,
  kernelSignature,
  memoryTuneStore,
  parseTuneCache,
  serializeTuneCache,
  toNumberArray,
  type TuneEntry,
} from '@kiln/runtime';
import { testDevice } from '../webgpu/device.js';

const device = await testDevice();

/** y = tanh(1.5x + 0.5) · logistic(x) over n elements (W2's chain), fused into one kernel. */
function chain(n: number): Graph {
  const b = new GraphBuilder('w2');
  const x = b.input('x', { dtype: 'f32', shape: [n] });
  const c = (value: number) => b.add('constant', [], { value }, { type: { dtype: 'f32', shape: [n] } });
  const t = b.add('tanh', [b.add('add', [b.add('mul', [x, c(1.5)], {}), c(0.5)], {})], {});
  b.output(b.add('mul', [t, b.add('logistic', [x], {})], {}), 'y');
  return runPipeline(b.build(), DEFAULT_PIPELINE).graph;
}
const xs = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 4);
const entry = (schedule: TuneEntry['schedule']): TuneEntry => ({ schedule, label: 'x', ms: 1, defaultMs: 2, mode: 'full', at: '2026-01-01T00:00:00.000Z' });
const keyOf = (g: Graph): string => {
  const k = (g.kernels ?? []).map((kk) => kernelSignature(kk)).find((s) => s !== undefined);
  if (k === undefined) throw new Error('no tunable kernel');
  return k.key;
};

describe('elementwise tune signatures and cache entries', () => {
  it('keys by dtype, size class, vec4 eligibility and ops', () => {
    expect(keyOf(chain(5000))).toBe('elementwise f32 n8192 v4 mul,add,tanh,logistic,mul');
    expect(keyOf(chain(5001))).toBe('elementwise f32 n8192 v1 mul,add,tanh,logistic,mul');
    // Too small to time meaningfully: not tunable.
    expect(() => keyOf(chain(1000))).toThrow('no tunable kernel');
  });

  it('round-trips elementwise schedules and rejects malformed ones', () => {
    const s: ElementwiseSchedule = { kind: 'elementwise', perThread: 8, order: 'blocked', vec4: true, workgroup: 128 };
    const text = serializeTuneCache({ a: { k: entry(s) } });
    expect(parseTuneCache(text)).toEqual({ ok: true, entries: { a: { k: entry(s) } } });
    for (const [from, to] of [
      ['"perThread": 8', '"perThread": 3'],
      ['"order": "blocked"', '"order": "rows"'],
      ['"order": "blocked",', ''],
    ] as const) {
      const bad = text.replace(from, to);
      expect(bad).not.toBe(text);
      expect(parseTuneCache(bad).ok).toBe(false);
    }
  });
});

describe.skipIf(device === undefined)('elementwise autotuning', () => {
  const info = device!;

  it("'quick' fills the cache for the elementwise signature", async () => {
    const store = memoryTuneStore();
    const exe = await createWebGpuBackend({ device: info, tuneStore: store }).compile(chain(4096), { tune: 'quick' });
    exe.dispose();
    const mine = (await store.load())[adapterIdentity(info)] ?? {};
    const e = mine['elementwise f32 n4096 v4 mul,add,tanh,logistic,mul'];
    expect(e).toBeDefined();
    expect(e!.ms).toBeLessThanOrEqual(e!.defaultMs);
  }, 120_000);

  for (const schedule of [
    { kind: 'elementwise', perThread: 8, order: 'strided', vec4: true, workgroup: 32 },
    { kind: 'elementwise', perThread: 16, order: 'blocked', vec4: true, workgroup: 64 },
    { kind: 'elementwise', perThread: 2, order: 'blocked', vec4: false, workgroup: 128 },
  ] satisfies ElementwiseSchedule[])
    it(`uses ${elementwiseScheduleLabel(schedule)} from the cache, visibly, with the CPU's results`, async () => {
      const n = 5000;
      const graph = chain(n);
      const store = memoryTuneStore({ [adapterIdentity(info)]: { [keyOf(graph)]: entry(schedule) } });
      const exe = await createWebGpuBackend({ device: info, tuneStore: store }).compile(graph);
      try {
        const k = exe.kernels.find((kk) => kk.template.includes('[tuned]'));
        expect(k?.template).toBe(`elementwise-${elementwiseScheduleLabel(schedule)} [tuned]`);
        expect(k?.wgsl.split('\n')[0]).toContain('from the tune cache');
        const got = toNumberArray((await exe.run({ x: xs(n) }))['y']!);
        const want = toNumberArray((await (await createCpuBackend().compile(graph)).run({ x: xs(n) }))['y']!);
        got.forEach((g, i) => expect(Math.abs(g - want[i]!)).toBeLessThanOrEqual(1e-6 + 1e-5 * Math.abs(want[i]!)));
      } finally {
        exe.dispose();
      }
    });

  it('ignores a cached schedule of the wrong kind or one illegal on the device', async () => {
    const graph = chain(8192);
    const tooWide: ElementwiseSchedule = { kind: 'elementwise', perThread: 4, order: 'strided', vec4: true, workgroup: 2 * info.limits.maxComputeInvocationsPerWorkgroup };
    for (const schedule of [{ kind: 'simple' as const, workgroup: 64 }, tooWide]) {
      const store = memoryTuneStore({ [adapterIdentity(info)]: { [keyOf(graph)]: entry(schedule) } });
      const exe = await createWebGpuBackend({ device: info, tuneStore: store }).compile(graph);
      expect(exe.kernels.some((kk) => kk.template.includes('[tuned]'))).toBe(false);
      exe.dispose();
    }
  });
});
