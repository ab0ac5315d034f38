// The WebGPU backend: device acquisition, compile to a GPU plan (outlining through @kiln/passes), executables.
export * from './device.js';
export * from './backend.js';
export { WebGpuExecutable, type KernelTiming, type KernelTimingSource } from './executable.js';
export { pipelineCount, configurePipelineCache, pipelineCacheStats, DEFAULT_PIPELINE_CACHE_LIMITS, type PipelineCacheLimits, type PipelineCacheStats } from './pipelines.js';
export { GpuStateStore } from './gpu-state.js';
