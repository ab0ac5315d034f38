// @kiln/codegen-wgsl — fused graphs (generateGraph: placement and one kernel per call) and their kernels to WGSL compute shaders: the total wgslRules table,
// kernel templates (elementwise, reduction, row, matmul/conv GEMM, window, gather, scatter),
// binding plans, dispatch grids and binding reflection.
export * from './generate.js';
export * from './generate-graph.js';
export * from './generated-kernel.js';
export * from './limits.js';
export * from './dispatch.js';
export * from './wgsl-rules.js';
export * from './reflect.js';
export { shaderHash } from './assemble.js';
export type { WgslRule, AnchorTemplate, ValueEmitter } from './rules/rule.js';
export type { GemmVariant } from './templates/gemm.js';
export { gemmScheduleProblem, scheduleLabel, tiledCandidates, variantSchedule, type GemmSchedule, type TiledGemmSchedule } from './templates/gemm-schedule.js';
export type { ReductionVariant } from './templates/reduction.js';
export { NO_ALIASING, type KernelAliasing } from './kernel-emitter.js';
export {
  ELEMENTS_PER_THREAD,
  defaultElementwiseSchedule,
  elementwiseCandidates,
  elementwiseScheduleLabel,
  elementwiseScheduleProblem,
  type ElementOrder,
  type ElementwiseDefaults,
  type ElementsPerThread,
  type ElementwiseSchedule,
} from './templates/elementwise-schedule.js';
export { kernelScheduleLabel, kernelScheduleProblem, scheduleOptions, type KernelSchedule } from './templates/kernel-schedule.js';
