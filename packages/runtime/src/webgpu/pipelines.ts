// Compute pipelines cached per device by shader hash (kernels with equal hashes share one), with
// explicit bind group layouts built from codegen's binding plan, created asynchronously where that
// is safe (browsers: a plan's kernels then compile in parallel). The cache is an LRU bounded by
// entry count and WGSL bytes (configurable per device); shader compile errors become KilnErrors
// naming the kernel and quoting the offending WGSL line.

import { KilnError } from '@kiln/ir';
import type { GeneratedKernel } from '@kiln/codegen-wgsl';
import { isNode } from './environment.js';
import { ShaderStage } from './gpu-consts.js';

/** createComputePipelineAsync everywhere but Node (Dawn), where it is not safe on every backend. */
const ASYNC_PIPELINES = !isNode();

export interface CachedPipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

/** Bounds of a device's pipeline cache; the least recently used pipelines go first beyond either. */
export interface PipelineCacheLimits {
  /** Pipelines kept (default 256). */
  readonly maxEntries: number;
  /** Sum of the cached kernels' WGSL source bytes, a proxy for the driver's shader memory (default 16 MiB). */
  readonly maxBytes: number;
}

export const DEFAULT_PIPELINE_CACHE_LIMITS: PipelineCacheLimits = { maxEntries: 256, maxBytes: 16 * 1024 * 1024 };

/** What a device's cache holds and has done (for tests and diagnostics). */
export interface PipelineCacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly created: number;
  readonly hits: number;
  readonly evicted: number;
  readonly limits: PipelineCacheLimits;
}

interface Entry {
  readonly made: Promise<CachedPipeline>;
  readonly bytes: number;
}

/**
 * One device's cache. Evicting drops only the cache's reference: executables compiled earlier keep
 * theirs (WebGPU has no pipeline destroy; the GC frees a pipeline once nothing refers to it).
 */
class PipelineCache {
  // A Map iterates in insertion order: re-inserting on every hit keeps it in LRU order.
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private created = 0;
  private hits = 0;
  private evicted = 0;

  constructor(public limits: PipelineCacheLimits) {}

  get(device: GPUDevice, kernel: GeneratedKernel): Promise<CachedPipeline> {
    const hit = this.entries.get(kernel.hash);
    if (hit !== undefined) {
      this.hits++;
      this.entries.delete(kernel.hash);
      this.entries.set(kernel.hash, hit);
      return hit.made;
    }
    const made = createPipeline(device, kernel);
    this.created++;
    const entry: Entry = { made, bytes: kernel.wgsl.length };
    this.entries.set(kernel.hash, entry);
    this.bytes += entry.bytes;
    // A failed compile must not poison the cache for a later, fixed attempt.
    made.catch(() => this.drop(kernel.hash, entry));
    this.trim();
    return made;
  }

  configure(limits: Partial<PipelineCacheLimits>): void {
    const next = { ...this.limits, ...limits };
    for (const [k, v] of Object.entries(next)) if (!Number.isInteger(v) || v < 0) throw new KilnError({ message: `pipeline cache: ${k} must be a non-negative integer, got ${v}` });
    this.limits = next;
    this.trim();
  }

  stats(): PipelineCacheStats {
    return { entries: this.entries.size, bytes: this.bytes, created: this.created, hits: this.hits, evicted: this.evicted, limits: this.limits };
  }

  private drop(hash: string, entry: Entry): void {
    if (this.entries.get(hash) !== entry) return;
    this.entries.delete(hash);
    this.bytes -= entry.bytes;
  }

  private trim(): void {
    for (const [hash, entry] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) return;
      this.drop(hash, entry);
      this.evicted++;
    }
  }
}

const caches = new WeakMap<GPUDevice, PipelineCache>();

function cacheOf(device: GPUDevice): PipelineCache {
  let cache = caches.get(device);
  if (cache === undefined) {
    cache = new PipelineCache(DEFAULT_PIPELINE_CACHE_LIMITS);
    caches.set(device, cache);
  }
  return cache;
}

/** Number of distinct pipelines cached on `device` now (tests keep compile counts low). */
export function pipelineCount(device: GPUDevice): number {
  return caches.get(device)?.stats().entries ?? 0;
}

/** Sets the bounds of `device`'s pipeline cache (trimming it at once); omitted fields keep their value. */
export function configurePipelineCache(device: GPUDevice, limits: Partial<PipelineCacheLimits>): void {
  cacheOf(device).configure(limits);
}

export function pipelineCacheStats(device: GPUDevice): PipelineCacheStats {
  return cacheOf(device).stats();
}

export function getPipeline(device: GPUDevice, kernel: GeneratedKernel): Promise<CachedPipeline> {
  return cacheOf(device).get(device, kernel);
}

function quoteLine(wgsl: string, line: number): string {
  const text = wgsl.split('\n')[line - 1];
  return text === undefined ? '' : `\n  ${line} | ${text.trim()}`;
}

async function createPipeline(device: GPUDevice, kernel: GeneratedKernel): Promise<CachedPipeline> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: kernel.wgsl, label: kernel.name });
  // Popped before any await: error scopes are one stack per device, shared with concurrent work.
  const scopeErrorP = device.popErrorScope();
  const info = await module.getCompilationInfo();
  const scopeError = await scopeErrorP;
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
  const descriptor: GPUComputePipelineDescriptor = {
    label: kernel.name,
    layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }),
    compute: { module, entryPoint: kernel.entryPoint },
  };
  const failed = (message: string): KilnError => new KilnError({ message: `pipeline for kernel @${kernel.name} (${kernel.template}) failed: ${message}` });
  if (ASYNC_PIPELINES) {
    // The browser compiles off the main thread, so a plan's kernels (requested together) build in parallel.
    try {
      return { pipeline: await device.createComputePipelineAsync(descriptor), layout };
    } catch (e) {
      throw failed(e instanceof Error ? e.message : String(e));
    }
  }
  // In Node, synchronous creation inside an error scope: Dawn's OpenGL ES backend is not safe with
  // createComputePipelineAsync (it crashed intermittently in a glibc mutex assertion).
  device.pushErrorScope('validation');
  const pipeline = device.createComputePipeline(descriptor);
  const error = await device.popErrorScope();
  if (error !== null) throw failed(error.message);
  return { pipeline, layout };
}
