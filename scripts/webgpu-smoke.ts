// Smoke check for the WebGPU toolchain: acquires an adapter the way the runtime does (hardware
// first, then Dawn's OpenGL ES backend on Mesa llvmpipe) and doubles 1024 floats on it.
import { create, globals } from 'webgpu';

Object.assign(globalThis, globals);
process.env['EGL_PLATFORM'] ??= 'surfaceless';

async function adapterFrom(flags: string[], featureLevel: 'core' | 'compatibility'): Promise<GPUAdapter | null> {
  const gpu = create(flags);
  return gpu.requestAdapter({ featureLevel } as GPURequestAdapterOptions);
}

const t0 = performance.now();
let adapter = await adapterFrom([], 'core');
let how = 'default';
if (adapter === null) {
  adapter = await adapterFrom(['backend=opengles'], 'compatibility');
  how = 'opengles compatibility';
}
if (adapter === null) throw new Error('no WebGPU adapter');
const info = adapter.info;
console.log(how, info.vendor, info.architecture, info.device, info.description, `${(performance.now() - t0).toFixed(0)}ms`);
const l = adapter.limits;
console.log({
  maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
  maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
  maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
  maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
  maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
  features: [...adapter.features],
});
const device = await adapter.requestDevice();
const n = 1024;
const buf = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
device.queue.writeBuffer(buf, 0, new Float32Array(n).map((_, i) => i));
const module = device.createShaderModule({ code: `@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@compute @workgroup_size(64,1,1) fn main(@builtin(global_invocation_id) g: vec3u) { a[g.x] = a[g.x] * 2.0; }` });
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
console.log('doubled ok:', out.every((v, i) => v === 2 * i), `${(performance.now() - t0).toFixed(0)}ms total`);
device.destroy();
