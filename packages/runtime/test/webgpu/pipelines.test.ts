// Pipelines are cached per device by shader hash (kernels differing only in names share one),
// and a shader that fails to compile surfaces as a KilnError quoting the offending WGSL line.

import { describe, expect, it } from 'vitest';
import { GraphBuilder, KilnError } from '@kiln/ir';
import { generateKernel } from '@kiln/codegen-wgsl';
import { createWebGpuBackend, pipelineCount } from '@kiln/runtime';
import { getPipeline } from '../../src/webgpu/pipelines.js';
import { testDevice } from './device.js';

const device = await testDevice();

function addGraph(name: string, inputName: string) {
  const b = new GraphBuilder(name);
  const x = b.input(inputName, { dtype: 'f32', shape: [7, 3] });
  b.output(b.add('add', [x, x], {}, { name: `${inputName}_twice` }), 'y');
  return b.build();
}

describe.skipIf(device === undefined)('pipeline cache', () => {
  it('reuses pipelines for kernels with equal hashes', async () => {
    const backend = createWebGpuBackend({ device: device! });
    const first = await backend.compile(addGraph('g1', 'x'));
    const before = pipelineCount(device!.device);
    const second = await backend.compile(addGraph('g2', 'other'));
    expect(second.kernels[0]!.hash).toBe(first.kernels[0]!.hash);
    expect(second.kernels[0]!.wgsl).not.toBe(first.kernels[0]!.wgsl);
    expect(pipelineCount(device!.device)).toBe(before);
    expect(Array.from((await second.run({ other: new Array(21).fill(1.5) }))['y']!.data)).toEqual(new Array(21).fill(3));
    first.dispose();
    second.dispose();
  });

  it('reports WGSL compile errors as KilnErrors naming the kernel and the line', async () => {
    const kb = new GraphBuilder('k_broken', 'kernel');
    kb.output(kb.add('neg', [kb.input('x', { dtype: 'f32', shape: [2] })], {}), 'y');
    const good = generateKernel(kb.build(), device!.limits);
    const broken = { ...good, wgsl: good.wgsl.replace('return in0[i];', 'return in0[i] + undefined_thing;'), hash: 'broken-for-test' };
    const err = await getPipeline(device!.device, broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KilnError);
    expect((err as KilnError).message).toMatch(/@k_broken/);
    expect((err as KilnError).message).toMatch(/undefined_thing/);
  });
});
