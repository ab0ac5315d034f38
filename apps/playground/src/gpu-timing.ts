// Per-kernel GPU times. k.jit's fn.profile() runs one step with every kernel in its own compute
// pass and submit and returns each kernel's wall time. Where the page's device has
// 'timestamp-query', the page also asks the GPU itself: while that profile runs, every compute pass
// begun on the page's device gets timestampWrites (begin and end) into a query set, read back
// afterwards, so each kernel gets its GPU execution time next to its wall time.

import type { KernelTiming } from '@kiln/runtime';

export interface KernelTime {
  readonly kernel: string;
  readonly template: string;
  readonly grid: readonly [number, number, number];
  readonly wallMs: number;
  /** From timestamp queries; undefined without 'timestamp-query'. */
  readonly gpuMs: number | undefined;
}

export interface KernelProfile {
  readonly kernels: readonly KernelTime[];
  readonly source: 'timestamp-query' | 'wall clock';
  readonly note: string;
}

const MAX_PASSES = 1024;
const QUERY_RESOLVE = 0x0200;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const MAP_READ = 0x0001;

export async function profileKernels(device: GPUDevice, run: () => Promise<readonly KernelTiming[]>): Promise<KernelProfile> {
  if (!device.features.has('timestamp-query')) {
    const timings = await run();
    return {
      kernels: timings.map((t) => ({ kernel: t.kernel, template: t.template, grid: t.grid, wallMs: t.ms, gpuMs: undefined })),
      source: 'wall clock',
      note: "this device has no 'timestamp-query': wall time per kernel, each in its own submit (submit overhead included)",
    };
  }
  const querySet = device.createQuerySet({ type: 'timestamp', count: 2 * MAX_PASSES });
  const labels: string[] = [];
  // Called below with the device as `this` (original.call), so it needs no binding.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = device.createCommandEncoder;
  // The page's own device: for the duration of the profile, its encoders time every compute pass.
  Object.defineProperty(device, 'createCommandEncoder', {
    configurable: true,
    writable: true,
    value(this: GPUDevice, desc?: GPUCommandEncoderDescriptor): GPUCommandEncoder {
      const enc = original.call(this, desc);
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the encoder as `this`
      const begin = enc.beginComputePass;
      Object.defineProperty(enc, 'beginComputePass', {
        configurable: true,
        value(this: GPUCommandEncoder, d?: GPUComputePassDescriptor): GPUComputePassEncoder {
          if (d?.timestampWrites !== undefined || labels.length >= MAX_PASSES) return begin.call(this, d);
          const i = labels.length;
          labels.push(d?.label ?? '');
          return begin.call(this, { ...d, timestampWrites: { querySet, beginningOfPassWriteIndex: 2 * i, endOfPassWriteIndex: 2 * i + 1 } });
        },
      });
      return enc;
    },
  });
  let timings: readonly KernelTiming[];
  try {
    timings = await run();
  } finally {
    delete (device as { createCommandEncoder?: unknown }).createCommandEncoder;
  }
  const count = labels.length;
  let gpu: number[] = [];
  if (count > 0) {
    const resolve = device.createBuffer({ size: 16 * count, usage: QUERY_RESOLVE | COPY_SRC });
    const readback = device.createBuffer({ size: 16 * count, usage: MAP_READ | COPY_DST });
    const enc = device.createCommandEncoder({ label: 'playground timestamps' });
    enc.resolveQuerySet(querySet, 0, 2 * count, resolve, 0);
    enc.copyBufferToBuffer(resolve, 0, readback, 0, 16 * count);
    device.queue.submit([enc.finish()]);
    await readback.mapAsync(MAP_READ);
    const ticks = new BigUint64Array(readback.getMappedRange().slice(0));
    readback.unmap();
    resolve.destroy();
    readback.destroy();
    gpu = labels.map((_, i) => Number(ticks[2 * i + 1]! - ticks[2 * i]!) / 1e6);
  }
  querySet.destroy();
  // profile() begins one pass per timed kernel, labelled with the kernel's name, in order.
  const matched = count === timings.length && timings.every((t, i) => labels[i] === t.kernel);
  return {
    kernels: timings.map((t, i) => ({ kernel: t.kernel, template: t.template, grid: t.grid, wallMs: t.ms, gpuMs: matched ? gpu[i] : undefined })),
    source: matched ? 'timestamp-query' : 'wall clock',
    note: matched
      ? 'GPU time of each kernel from timestamp queries around its compute pass (browsers may round timestamps, e.g. to 100 µs, unless WebGPU developer features are on); wall time includes the submit'
      : `timestamp queries did not line up with the kernels (${count} passes for ${timings.length} kernels): wall time only`,
  };
}
