// Smoke check for the WebGPU toolchain: acquires an adapter the way the runtime does (hardware
// first, then Dawn's OpenGL ES backend on Mesa llvmpipe), prints it, and doubles 1024 floats on it.
// Usage: node --import tsx scripts/webgpu-smoke.ts   (exit code 0 only if the readback is right)
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);

async function acquire(): Promise<{ adapter: GPUAdapter; how: string }> {
  const hw = await create([]).requestAdapter();
  if (hw !== null) return { adapter: hw, how: 'create([]) default (hardware)' };
  process.env['EGL_PLATFORM'] ??= 'surfaceless'; // Mesa EGL without an X11/Wayland display
  const gl = await create(['backend=opengles']).requestAdapter({ featureLevel: 'compatibility' });
  if (gl !== null) return { adapter: gl, how: "create(['backend=opengles']) + featureLevel 'compatibility'" };
  throw new Error('no WebGPU adapter (on Debian 12: apt-get install libegl-dev libegl-mesa0 libgl1-mesa-dri)');
}

const t0 = performance.now();
const { adapter, how } = await acquire();
const { vendor, architecture, device: dev, description } = adapter.info;
console.log(`adapter via ${how} in ${(performance.now() - t0).toFixed(0)} ms`);
console.log({ vendor, architecture, device: dev, description, EGL_PLATFORM: process.env['EGL_PLATFORM'] });
console.log('features:', [...adapter.features].sort().join(' '));
for (const f of ['timestamp-query', 'subgroups', 'shader-f16'] as const) console.log(`  ${f}: ${adapter.features.has(f) ? 'yes' : 'no'}`);
const requiredLimits: Record<string, number> = {};
for (const key in adapter.limits) requiredLimits[key] = adapter.limits[key as keyof GPUSupportedLimits] as number;
console.log('limits:', requiredLimits);

// Without requiredLimits the device gets the WebGPU defaults (compat mode: 128 invocations/workgroup).
const device = await adapter.requestDevice({ requiredLimits });
const n = 1024;
const buf = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(
  buf,
  0,
  Float32Array.from({ length: n }, (_, i) => i),
);
const module = device.createShaderModule({
  code: `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@compute @workgroup_size(64, 1, 1) fn main(@builtin(global_invocation_id) g: vec3u) { a[g.x] = a[g.x] * 2.0; }`,
});
const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
const bg = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
const read = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
const enc = device.createCommandEncoder();
const pass = enc.beginComputePass();
pass.setPipeline(pipeline);
pass.setBindGroup(0, bg);
pass.dispatchWorkgroups(n / 64);
pass.end();
enc.copyBufferToBuffer(buf, 0, read, 0, n * 4);
device.queue.submit([enc.finish()]);
await read.mapAsync(GPUMapMode.READ);
const out = new Float32Array(read.getMappedRange().slice(0));
const ok = out.every((v, i) => v === 2 * i);
console.log(`doubled 1024 floats: ${ok ? 'ok' : 'WRONG'} (${(performance.now() - t0).toFixed(0)} ms total)`);
device.destroy();
process.exitCode = ok ? 0 : 1;
