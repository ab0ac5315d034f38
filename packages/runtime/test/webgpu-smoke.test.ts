// Proves this machine has a working WebGPU adapter (hardware, else Dawn's OpenGL ES backend on Mesa
// llvmpipe) by doubling 1024 floats on it. It fails, never skips, when no adapter is found.
import { describe, expect, it } from 'vitest';
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);

/** Dawn instances must outlive their devices: a collected instance takes its devices down with it. */
const instances: GPU[] = [];
function instance(flags: string[]): GPU {
  const gpu = create(flags);
  instances.push(gpu);
  return gpu;
}

async function acquire(): Promise<{ adapter: GPUAdapter; how: string }> {
  const hw = await instance([]).requestAdapter();
  if (hw !== null) return { adapter: hw, how: 'default' };
  process.env['EGL_PLATFORM'] ??= 'surfaceless'; // headless Mesa EGL: no X11/Wayland display needed
  const gl = await instance(['backend=opengles']).requestAdapter({ featureLevel: 'compatibility' });
  if (gl !== null) return { adapter: gl, how: 'opengles (compatibility)' };
  throw new Error('no WebGPU adapter: neither a hardware adapter nor Dawn OpenGL ES on Mesa EGL (apt: libegl-dev libegl-mesa0 libgl1-mesa-dri)');
}

describe('webgpu smoke', () => {
  it('acquires an adapter and doubles 1024 floats', async () => {
    const { adapter, how } = await acquire();
    console.log(`webgpu adapter via ${how}: ${adapter.info.device} (${adapter.info.description})`);
    expect(adapter.limits.maxComputeWorkgroupsPerDimension).toBeGreaterThanOrEqual(65535);
    // Ask for all of the adapter's limits; otherwise the device gets the (much lower) defaults, which in
    // compatibility mode means 128 invocations per workgroup and 8 storage buffers per stage.
    const requiredLimits: Record<string, number> = {};
    for (const key in adapter.limits) requiredLimits[key] = adapter.limits[key as keyof GPUSupportedLimits] as number;
    const device = await adapter.requestDevice({ requiredLimits });
    expect(device.limits.maxComputeInvocationsPerWorkgroup).toBe(adapter.limits.maxComputeInvocationsPerWorkgroup);
    try {
      const n = 1024;
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
      const buf = device.createBuffer({ size: n * 4, usage });
      device.queue.writeBuffer(
        buf,
        0,
        Float32Array.from({ length: n }, (_, i) => i - 100.5),
      );
      const module = device.createShaderModule({
        code: `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@compute @workgroup_size(64, 1, 1) fn main(@builtin(global_invocation_id) g: vec3u) { a[g.x] = a[g.x] * 2.0; }`,
      });
      const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
      const read = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(n / 64);
      pass.end();
      enc.copyBufferToBuffer(buf, 0, read, 0, n * 4);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const out = Array.from(new Float32Array(read.getMappedRange().slice(0)));
      read.unmap();
      expect(out).toEqual(Array.from({ length: n }, (_, i) => 2 * (i - 100.5)));
    } finally {
      device.destroy();
    }
  });
});
