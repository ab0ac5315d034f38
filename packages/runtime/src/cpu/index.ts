// The CPU interpreter (the semantic oracle) and the CPU Backend.
export * from './host-tensor.js';
export type { EvalContext, EvalRule } from './eval-rule.js';
export * from './eval-rules.js';
export * from './interpreter.js';
export * from './cpu-backend.js';
export * from './non-finite.js';
export { CpuStateStore, copyHostTensor } from './cpu-state.js';
