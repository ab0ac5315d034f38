// API misuse at every public entry point of compiled steps (k.compile), runtime executables and
// k.jit functions, on the CPU interpreter and WebGPU: bad arguments are KilnErrors naming the
// problem, results never alias state, inputs are captured at call time, use after dispose is an
// error, and one step's device errors never surface in another's work.

import { describe, expect, it } from 'vitest';
import { KilnError } from '@kiln/ir';
import { parse } from '@kiln/ir';
import { createCpuBackend, createWebGpuBackend, requestWebGpuDevice } from '@kiln/runtime';
import * as k from '@kiln/frontend';
import { reliabilityBackends } from './backends.js';

const backends = await reliabilityBackends();

/** y = x * w, and the state w returned unchanged as `cur` (the aliasing hazard), w += 1 after each run. */
function stepGraph(update: boolean): k.Traced {
  return k.trace(
    ({ x }) => {
      const w = k.param('w', [4], k.init.ones());
      if (update) k.assign(w, k.add(w, 1));
      return { y: k.mul(x, w), cur: w };
    },
    { x: k.f32([4]) },
  );
}

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e;
  }
  throw new Error('expected an error, none was thrown');
}

async function expectKilnError(p: Promise<unknown> | (() => unknown), message: RegExp): Promise<void> {
  const e = await rejection(p);
  expect(e, String(e)).toBeInstanceOf(KilnError);
  expect((e as Error).message).toMatch(message);
}

const BAD_RECORDS: readonly [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 5],
  ['a string', 'x'],
  ['an array', [1, 2, 3, 4]],
  ['a Float32Array', new Float32Array(4)],
];

const BAD_VALUES: readonly [string, unknown, RegExp][] = [
  ['a string', 'abcd', /input %x: expected a number, a typed array, an array of numbers or a host tensor, got a string/],
  ['null', null, /input %x: .*got null/],
  ['an object', { length: 4 }, /input %x: .*got an object/],
  ['a boolean', true, /input %x: .*got a boolean/],
  ['an array holding a string', [1, 'a', 3, 4], /input %x: element 1 is a string, not a number/],
  ['an array holding null', [1, 2, null, 4], /input %x: element 2 is null, not a number/],
];

describe.each(backends)('API misuse on %s', (backend) => {
  it('k.compile step: run() with something other than a record of inputs is a KilnError', async () => {
    const step = await k.compile(stepGraph(false), { backend });
    for (const [what, bad] of BAD_RECORDS) await expectKilnError(step.run(bad as never), new RegExp(`takes one record of named inputs.*got ${what}`));
    for (const [, bad, message] of BAD_VALUES) await expectKilnError(step.run({ x: bad as never }), message);
    await expectKilnError(() => step.setParam('w', 'abcd' as never), /setParam %w: expected a number/);
    await expectKilnError(step.getParam(5 as never), /getParam: the name must be a string/);
    // Nothing above changed the step.
    expect(Array.from(await step.getParam('w'))).toEqual([1, 1, 1, 1]);
    step.dispose();
  });

  it('runtime executable: run() with bad arguments is a KilnError', async () => {
    const graph = parse('graph @g(%x: f32[4]) -> (y: f32[4]) {\n  %y: f32[4] = add %x, %x\n  return %y\n}\n');
    const exe = backend === 'cpu' ? await createCpuBackend().compile(graph) : await createWebGpuBackend({ device: await requestWebGpuDevice() }).compile(graph);
    for (const [what, bad] of BAD_RECORDS) await expectKilnError(exe.run(bad as never), new RegExp(`run of @g: takes one record of named inputs.*got ${what}`));
    for (const [, bad, message] of BAD_VALUES) await expectKilnError(exe.run({ x: bad as never }), message);
    exe.dispose();
  });

  it('k.jit: a call with bad arguments is a KilnError', async () => {
    const f = k.jit(({ x }: k.Inputs<'x'>) => k.add(x, 1), { backend });
    for (const [, bad] of BAD_RECORDS.slice(0, 5)) await expectKilnError(f(bad as never), /takes one record of named inputs/);
    await expectKilnError(f({ x: 'abcd' as never }), /input 'x' must be a host tensor/);
    await expectKilnError(f({ x: [1, 'a'] as never }), /element \[1\] is string, not a number/);
  });

  it('results never alias state: mutating a returned array (or params()) leaves the step unchanged', async () => {
    for (const update of [false, true]) {
      const step = await k.compile(stepGraph(update), { backend });
      const out = await step.run({ x: new Float32Array([1, 2, 3, 4]) });
      (out['cur'] as Float32Array).fill(999);
      (out['y'] as Float32Array).fill(999);
      const w = update ? 2 : 1;
      const ps = await step.params();
      expect(Array.from(ps['w']!)).toEqual([w, w, w, w]);
      ps['w']!.fill(-5);
      (await step.getParam('w')).fill(-6);
      const again = await step.run({ x: new Float32Array([1, 2, 3, 4]) });
      expect(Array.from(again['y'] as Float32Array)).toEqual([1, 2, 3, 4].map((v) => v * w));
      step.dispose();
    }
  });

  it('k.jit results never alias a variable (an output the simplifier reduces to the state itself)', async () => {
    const f = k.jit(
      ({ x }: k.Inputs<'x'>) => {
        const w = k.param('w', [4], k.init.ones());
        return { w: k.mul(w, 1), y: k.add(x, w) };
      },
      { backend },
    );
    const first = await f({ x: k.tensor([1, 2, 3, 4]) });
    first.w.data.fill(999);
    const second = await f({ x: k.tensor([1, 2, 3, 4]) });
    expect(Array.from(second.y.data)).toEqual([2, 3, 4, 5]);
  });

  it('inputs are captured when run() is called: refilling the array before awaiting changes nothing', async () => {
    const step = await k.compile(stepGraph(true), { backend });
    const x = new Float32Array([1, 2, 3, 4]);
    const runs = [step.run({ x }), (x.fill(10), step.run({ x }))];
    x.fill(100);
    const [a, b] = await Promise.all(runs);
    expect(Array.from(a!['y'] as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(b!['y'] as Float32Array)).toEqual([20, 20, 20, 20]);
    step.dispose();
    const f = k.jit(({ x: t }: k.Inputs<'x'>) => k.mul(t, 2), { backend });
    const data = new Float32Array([1, 2, 3, 4]);
    const host = k.tensor(data, [4]);
    const pending = f({ x: host });
    host.data.fill(7);
    expect(Array.from((await pending).data)).toEqual([2, 4, 6, 8]);
  });

  it('use after dispose is an error: run, params, getParam, setParam, recover; jit calls', async () => {
    const step = await k.compile(stepGraph(true), { backend });
    await step.run({ x: new Float32Array(4) });
    step.dispose();
    step.dispose(); // twice is harmless
    await expectKilnError(step.run({ x: new Float32Array(4) }), /run: the step for @main was disposed/);
    await expectKilnError(step.params(), /params: the step for @main was disposed/);
    await expectKilnError(step.getParam('w'), /getParam: the step for @main was disposed/);
    await expectKilnError(() => step.setParam('w', new Float32Array(4)), /setParam: the step for @main was disposed/);
    await expectKilnError(step.recover(), /recover: the step for @main was disposed/);
    const f = k.jit(({ x }: k.Inputs<'x'>) => k.add(x, 1), { backend });
    await f({ x: k.tensor([1]) });
    f.dispose();
    await expectKilnError(f({ x: k.tensor([1]) }), /was disposed/);
  });

  it('runtime executable after dispose: getState and run are errors, not zeros', async () => {
    const graph = stepGraph(true).graph;
    const exe =
      backend === 'cpu'
        ? await createCpuBackend().compile(graph, { state: { w: [1, 2, 3, 4] } })
        : await createWebGpuBackend({ device: await requestWebGpuDevice() }).compile(graph, { state: { w: [1, 2, 3, 4] } });
    expect(Array.from((await exe.getState('w')).data)).toEqual([1, 2, 3, 4]);
    exe.dispose();
    await expectKilnError(exe.getState('w'), /disposed/);
    await expectKilnError(exe.run({ x: new Float32Array(4) }), /disposed/);
    await expectKilnError(() => exe.setState('w', [0, 0, 0, 0]), /disposed/);
  });
});

describe.skipIf(!backends.includes('webgpu'))('device errors stay with the step that made them (WebGPU)', () => {
  it("a disposed step's reads do not leave an error for the next, unrelated compile", async () => {
    const step = await k.compile(stepGraph(true), { backend: 'webgpu' });
    step.dispose();
    await expect(step.params()).rejects.toThrow(/disposed/);
    const other = await k.compile(stepGraph(false), { backend: 'webgpu' });
    expect(Array.from((await other.run({ x: new Float32Array([1, 2, 3, 4]) }))['y'] as Float32Array)).toEqual([1, 2, 3, 4]);
    other.dispose();
  });

  it("errors from the device owner's own work (outside Kiln) do not fail Kiln's compiles or runs", async () => {
    const { device } = await requestWebGpuDevice();
    const traced = stepGraph(true);
    // An invalid buffer (usage 0) outside any error scope: an uncaptured validation error.
    device.createBuffer({ size: 16, usage: 0 });
    const step = await k.compile(traced, { device });
    device.createBuffer({ size: 16, usage: 0 });
    const out = await step.run({ x: new Float32Array([1, 2, 3, 4]) });
    expect(Array.from(out['y'] as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(await step.getParam('w'))).toEqual([2, 2, 2, 2]);
    step.dispose();
  });

  it('concurrent compiles and runs on one device each get their own results and errors', async () => {
    const good = stepGraph(true);
    // 1 GiB: within the verifier's 2^31-1 bytes per value, past the device's largest buffer.
    const huge = k.trace(({ x }) => ({ y: k.add(x, 1) }), { x: k.f32([1 << 28]) });
    const results = await Promise.allSettled([k.compile(good, { backend: 'webgpu' }), k.compile(huge, { backend: 'webgpu' }), k.compile(good, { backend: 'webgpu' })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const steps = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/needs \d+ bytes/);
    const outs = await Promise.all(steps.map((s, i) => s.run({ x: new Float32Array([i, i, i, i]) })));
    outs.forEach((o, i) => expect(Array.from(o['y'] as Float32Array)).toEqual([i, i, i, i]));
    steps.forEach((s) => s.dispose());
  });
});
