// Compute pipelines cached per device by shader hash (kernels with equal hashes share one),
// with explicit bind group layouts built from codegen's binding plan. Shader compile errors
// become KilnErrors naming the kernel and quoting the offending WGSL line.

import { KilnError } from '@kiln/ir';
import type { GeneratedKernel } from '@kiln/codegen-wgsl';
import { ShaderStage } from './gpu-consts.js';

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

const caches = new WeakMap<GPUDevice, Map<string, Promise<CachedPipeline>>>();

/** Number of distinct pipelines created on `device` so far (tests keep compile counts low). */
export function pipelineCount(device: GPUDevice): number {
  return caches.get(device)?.size ?? 0;
}

export function getPipeline(device: GPUDevice, kernel: GeneratedKernel): Promise<CachedPipeline> {
  let cache = caches.get(device);
  if (cache === undefined) {
    cache = new Map();
    caches.set(device, cache);
  }
  const hit = cache.get(kernel.hash);
  if (hit !== undefined) return hit;
  const made = createPipeline(device, kernel);
  cache.set(kernel.hash, made);
  // A failed compile must not poison the cache for a later, fixed attempt.
  made.catch(() => cache.delete(kernel.hash));
  return made;
}

function quoteLine(wgsl: string, line: number): string {
  const text = wgsl.split('\n')[line - 1];
  return text === undefined ? '' : `\n  ${line} | ${text.trim()}`;
}

async function createPipeline(device: GPUDevice, kernel: GeneratedKernel): Promise<CachedPipeline> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: kernel.wgsl, label: kernel.name });
  const info = await module.getCompilationInfo();
  const scopeError = await device.popErrorScope();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length > 0 || scopeError !== null) {
    const detail = errors.map((m) => `${m.lineNum}:${m.linePos}: ${m.message}${quoteLine(kernel.wgsl, m.lineNum)}`).join('\n');
    throw new KilnError({ message: `WGSL for kernel @${kernel.name} (${kernel.template}) failed to compile:\n${detail || scopeError?.message || ''}` });
  }
  const layout = device.createBindGroupLayout({
    label: kernel.name,
    entries: kernel.bindings.all.map((b) => ({
      binding: b.binding,
      visibility: ShaderStage.COMPUTE,
      buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' },
    })),
  });
  // Synchronous creation inside an error scope: Dawn's OpenGL ES backend is not safe with
  // createComputePipelineAsync (it crashed intermittently in a glibc mutex assertion).
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline({
    label: kernel.name,
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: kernel.entryPoint },
  });
  const error = await device.popErrorScope();
  if (error !== null) throw new KilnError({ message: `pipeline for kernel @${kernel.name} (${kernel.template}) failed: ${error.message}` });
  return { pipeline, layout };
}
