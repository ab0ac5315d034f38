// The reference evaluator: host tensors and one evaluation rule per op, shared by the CPU
// interpreter (runtime's CPU backend, the test oracle) and constant folding in passes.
export * from './host-tensor.js';
export type { EvalContext, EvalRule } from './eval-rule.js';
export * from './eval-rules.js';
export * from './interpreter.js';
