// Benchmarks: hand-written WGSL run directly on a GPUDevice, outside Kiln's runtime — buffers up
// and back, a pipeline with its bind group, and batches of dispatches in one pass, one submit, one
// wait (as Kiln's runRepeated records them). Used by the reference library and bench/w2-variants.ts.

export const STORAGE = 0x80 | 0x08 | 0x04; // STORAGE | COPY_DST | COPY_SRC
export const READBACK = 0x01 | 0x08; // MAP_READ | COPY_DST

export function upload(device: GPUDevice, data: Float32Array): GPUBuffer {
  const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: STORAGE });
  device.queue.writeBuffer(b, 0, data);
  return b;
}

export async function readBack(device: GPUDevice, src: GPUBuffer, bytes: number): Promise<Float32Array> {
  const dst = device.createBuffer({ size: bytes, usage: READBACK });
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(src, 0, dst, 0, bytes);
  device.queue.submit([enc.finish()]);
  await dst.mapAsync(1);
  const out = new Float32Array(dst.getMappedRange().slice(0));
  dst.unmap();
  dst.destroy();
  return out;
}

export interface Dispatchable {
  readonly pipeline: GPUComputePipeline;
  readonly bind: GPUBindGroup;
  readonly grid: readonly [number, number, number?];
}

export async function kernel(device: GPUDevice, wgsl: string, buffers: readonly GPUBuffer[], grid: Dispatchable['grid']): Promise<Dispatchable> {
  const module = device.createShaderModule({ code: wgsl });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  return { pipeline, bind, grid };
}

/** Records `times` dispatches in one pass, one submit, waits for the queue (Kiln's runRepeated). */
export async function dispatchRepeated(device: GPUDevice, k: Dispatchable, times: number): Promise<void> {
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(k.pipeline);
  pass.setBindGroup(0, k.bind);
  for (let i = 0; i < times; i++) pass.dispatchWorkgroups(k.grid[0], k.grid[1], k.grid[2]);
  pass.end();
  device.queue.submit([enc.finish()]);
  await device.queue.onSubmittedWorkDone();
}

/** Splits `groups` workgroups into a grid within the per-dimension limit. */
export function grid2d(groups: number, maxPerDim: number): [number, number] {
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y];
}
