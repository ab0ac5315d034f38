// The WebGPU backend: device acquisition, local outlining, compile to a GPU plan, executables.
export * from './device.js';
export * from './backend.js';
export { WebGpuExecutable, type KernelTiming } from './executable.js';
export { outlineGraph, isFusedForm } from './outline.js';
export { pipelineCount, configurePipelineCache, pipelineCacheStats, DEFAULT_PIPELINE_CACHE_LIMITS, type PipelineCacheLimits, type PipelineCacheStats } from './pipelines.js';
export { GpuStateStore } from './gpu-state.js';
export { placeKernels, type PlacedKernels, type PlacedSlice } from './place-kernels.js';
