// The WebGPU executable: state kept on the device and updated in place across runs, one
// dispatch per fused kernel, outputs read back by name, errors as KilnErrors.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, KilnError, type Graph } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createCpuBackend, createWebGpuBackend, toNumberArray } from '@kiln/runtime';
import { testDevice } from './device.js';

const device = await testDevice();
const f32 = (...shape: number[]) => ({ dtype: 'f32' as const, shape });

/** w ← w − 0.5·g; loss = Σ w_new (plain, unfused graph: the backend outlines it). */
function sgdGraph(): Graph {
  const b = new GraphBuilder('sgd');
  const w = b.input('w', f32(4), { state: true });
  const g = b.input('g', f32(4));
  const half = b.add('constant', [], { value: 0.5 }, { type: f32(4) });
  const nw = b.add('sub', [w, b.add('mul', [g, half], {})], {});
  b.output(b.add('reduce_sum', [nw], { axes: [0] }), 'loss');
  b.output(nw, 'w', true);
  return b.build();
}

/** Three kernels called in sequence: y = relu(x·2) summed over rows. */
function fusedThreeKernels(): Graph {
  const kernel = (name: string, build: (kb: GraphBuilder, x: number) => number, inType = f32(3, 5)): Graph => {
    const kb = new GraphBuilder(name, 'kernel');
    const x = kb.input('x', inType);
    kb.output(build(kb, x), 'out');
    return kb.build();
  };
  const k1 = kernel('k_double', (kb, x) => kb.add('mul', [x, kb.add('constant', [], { value: 2 }, { type: f32(3, 5) })], {}));
  const k2 = kernel('k_relu', (kb, x) => kb.add('max', [x, kb.add('constant', [], { value: 0 }, { type: f32(3, 5) })], {}));
  const k3 = kernel('k_rowsum', (kb, x) => kb.add('reduce_sum', [x], { axes: [1] }));
  const b = new GraphBuilder('three');
  const x = b.input('x', f32(3, 5));
  for (const k of [k1, k2, k3]) b.addKernel(k);
  const a = b.add('call', [x], { callee: 'k_double' }, { type: f32(3, 5) });
  const r = b.add('call', [a], { callee: 'k_relu' }, { type: f32(3, 5) });
  b.output(b.add('call', [r], { callee: 'k_rowsum' }, { type: f32(3) }), 'y');
  return b.build();
}

describe.skipIf(device === undefined)('WebGPU executable', () => {
  const backend = createWebGpuBackend({ device: device! });

  it('reports the adapter it picked and why, with raised limits', () => {
    expect(['hardware', 'software-core', 'opengles-compat']).toContain(device!.kind);
    expect(device!.reason.length).toBeGreaterThan(0);
    expect(device!.description.length).toBeGreaterThan(0);
    // Compatibility defaults allow 4 storage buffers; the backend asks for the adapter's limit.
    expect(device!.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
  });

  it('keeps state on the device and updates it in place across runs, like the CPU backend', async () => {
    const g = sgdGraph();
    const init = { state: { w: [1, 2, 3, 4] } };
    const gpu = await backend.compile(g, init);
    const cpu = await createCpuBackend().compile(g, init);
    for (const grad of [
      [1, 1, 1, 1],
      [2, 0, -2, 4],
      [0.5, 0.25, 0, 1],
    ]) {
      const a = await gpu.run({ g: grad });
      const b = await cpu.run({ g: grad });
      expect(toNumberArray(a['loss']!)).toEqual(toNumberArray(b['loss']!));
      expect(Object.keys(a)).toEqual(['loss']);
    }
    // w = [1,2,3,4] − 0.5·([1,1,1,1] + [2,0,-2,4] + [0.5,0.25,0,1]) = [-0.75, 1.375, 3.5, 1]
    expect(toNumberArray(await gpu.getState('w'))).toEqual([-0.75, 1.375, 3.5, 1]);
    gpu.setState('w', [0, 0, 0, 0]);
    expect(toNumberArray((await gpu.run({ g: [2, 2, 2, 2] }))['loss']!)).toEqual([-4]);
    gpu.dispose();
  });

  it('records one dispatch per fused kernel', async () => {
    const exe = await backend.compile(fusedThreeKernels());
    expect(exe.dispatchesPerRun).toBe(3);
    const out = await exe.run({ x: [1, -1, 2, -2, 3, 0, 0, 0, 0, 1, -5, -5, -5, -5, 5] });
    expect(exe.lastRunDispatches).toBe(3);
    expect(toNumberArray(out['y']!)).toEqual([12, 2, 10]);
    exe.dispose();
  });

  it('outlines an unfused graph into one kernel per node', async () => {
    const exe = await backend.compile(sgdGraph());
    expect(exe.graph.kernels.length).toBe(4);
    expect(exe.dispatchesPerRun).toBe(4);
    expect(exe.graph.nodes.every((n) => n.op === 'call')).toBe(true);
    exe.dispose();
  });

  it('swaps two states, passes inputs through, and reads a state output before its update', async () => {
    const b = new GraphBuilder('swap');
    const p = b.input('p', { dtype: 'i32', shape: [2] }, { state: true });
    const q = b.input('q', { dtype: 'i32', shape: [2] }, { state: true });
    const x = b.input('x', { dtype: 'bool', shape: [3] });
    b.output(x, 'x_again');
    b.output(p, 'p_before');
    b.output(q, 'p', true);
    b.output(p, 'q', true);
    const exe = await backend.compile(b.build(), { state: { p: [1, 2], q: [3, 4] } });
    const out = await exe.run({ x: [1, 0, 1] });
    expect(Array.from(out['x_again']!.data)).toEqual([1, 0, 1]);
    expect(out['x_again']!.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(out['p_before']!.data)).toEqual([1, 2]);
    expect(Array.from((await exe.getState('p')).data)).toEqual([3, 4]);
    expect(Array.from((await exe.getState('q')).data)).toEqual([1, 2]);
    await exe.run({ x: [0, 0, 0] });
    expect(Array.from((await exe.getState('p')).data)).toEqual([1, 2]);
    exe.dispose();
  });

  it('clears scatter_add outputs on every run', async () => {
    const b = new GraphBuilder('scatter_twice');
    const z = b.input('z', f32(3));
    const idx = b.input('idx', { dtype: 'i32', shape: [4] });
    const u = b.input('u', f32(4));
    b.output(b.add('scatter_add', [z, idx, u], { axis: 0 }), 'out');
    const exe = await backend.compile(b.build());
    for (let i = 0; i < 2; i++) {
      const out = await exe.run({ z: [10, 20, 30], idx: [0, 2, 2, 7], u: [1, 2, 3, 4] });
      expect(toNumberArray(out['out']!)).toEqual([11, 20, 35]);
    }
    exe.dispose();
  });

  it('runRepeated(n) leaves the state n runs leave: in-place updates, state copies and cleared scatter outputs', async () => {
    // sgd through the default pipeline updates w in place (plan-memory), so all runs share one
    // compute pass; unplanned it copies, as the rotation copies p ← q between runs; the scatter accumulator clears its output before each run's scatter.
    const rotate = new GraphBuilder('rotate');
    const p = rotate.input('p', f32(2), { state: true });
    const q = rotate.input('q', f32(2), { state: true });
    rotate.output(q, 'p', true);
    rotate.output(rotate.add('add', [p, rotate.add('constant', [], { value: 1 }, { type: f32(2) })], {}), 'q', true);
    const acc = new GraphBuilder('scatter_acc');
    const sIn = acc.input('s', f32(3), { state: true });
    const idx = acc.input('idx', { dtype: 'i32', shape: [2] });
    const u = acc.input('u', f32(2));
    acc.output(acc.add('scatter_add', [sIn, idx, u], { axis: 0 }), 's', true);
    const cases: [Graph, Record<string, number[]>, Record<string, number[]>, string[]][] = [
      [sgdGraph(), { w: [1, 2, 3, 4] }, { g: [1, 2, 3, 4] }, ['w']],
      [runPipeline(sgdGraph(), DEFAULT_PIPELINE).graph, { w: [1, 2, 3, 4] }, { g: [1, 2, 3, 4] }, ['w']],
      [rotate.build(), { p: [1, 2], q: [10, 20] }, {}, ['p', 'q']],
      [acc.build(), { s: [0, 0, 0] }, { idx: [0, 2], u: [1, 5] }, ['s']],
    ];
    for (const [g, state, inputs, names] of cases) {
      const gpu = await backend.compile(g, { state });
      const cpu = await createCpuBackend().compile(g, { state });
      await gpu.run(inputs);
      await gpu.runRepeated(3);
      for (let i = 0; i < 4; i++) await cpu.run(inputs);
      for (const name of names) expect(toNumberArray(await gpu.getState(name)), `@${g.name} %${name}`).toEqual(toNumberArray(await cpu.getState(name)));
      gpu.dispose();
    }
  });

  it('handles empty tensors without dispatching', async () => {
    const b = new GraphBuilder('empty');
    const x = b.input('x', f32(0, 3));
    b.output(b.add('exp', [x], {}), 'y');
    const exe = await backend.compile(b.build());
    expect(exe.dispatchesPerRun).toBe(0);
    const out = await exe.run({ x: [] });
    expect(out['y']!.type.shape).toEqual([0, 3]);
    expect(out['y']!.data.length).toBe(0);
    exe.dispose();
  });

  it('reports GPU-busy time from timestamp queries exactly when the device has them', async () => {
    const exe = await backend.compile(sgdGraph(), { state: { w: [1, 2, 3, 4] } });
    const ms = await exe.gpuTimeMs(3, { g: [1, 1, 1, 1] });
    if (device!.device.features.has('timestamp-query')) {
      expect(ms).toBeGreaterThan(0);
      expect(Number.isFinite(ms)).toBe(true);
    } else expect(ms).toBeUndefined();
    // The timed runs are real runs: w ← w − 0.5·g three times (or not at all without timestamps).
    const w = Array.from((await exe.getState('w')).data);
    expect(w).toEqual(ms === undefined ? [1, 2, 3, 4] : [-0.5, 0.5, 1.5, 2.5]);
    exe.dispose();
  });

  it('rejects bad calls with KilnErrors naming the value', async () => {
    const exe = await backend.compile(sgdGraph());
    await expect(exe.run({})).rejects.toThrow(/missing input %g/);
    await expect(exe.run({ g: [1, 2, 3] })).rejects.toThrow(KilnError);
    await expect(exe.run({ g: [1, 2, 3, 4], w: [0, 0, 0, 0] })).rejects.toThrow(/%w is a state input/);
    expect(() => exe.setState('nope', [1])).toThrow(/no state input %nope/);
    exe.dispose();
    await expect(exe.run({ g: [1, 2, 3, 4] })).rejects.toThrow(/disposed/);
    await expect(backend.compile(sgdGraph(), { precision: 'f64' })).rejects.toThrow(/f32 only/);
    await expect(backend.compile(sgdGraph(), { state: { v: [1] } })).rejects.toThrow(/not a state input/);
  });
});
