// @kiln/passes — the pass manager, the optimization passes (dce, cse, fold-constants, simplify,
// fuse/outline, plan-memory) (the fuzzer that checks them is @kiln/fuzz), and symbolic autodiff
// (an IR → IR transformation, so the frontend and the ONNX importer can both build gradients).
export * from './pass.js';
export * from './pipeline.js';
export * from './registry.js';
export { dcePass, removeDeadNodes } from './dce.js';
export { csePass, structuralKey } from './cse.js';
export { foldConstantsPass, DEFAULT_FOLD_SIZE_LIMIT } from './fold-constants.js';
export { simplifyPass } from './simplify/simplify.js';
export { simplifyRules } from './simplify/rules.js';
export { fusePass, fuseGraph, DEFAULT_MAX_RECOMPUTE_OPS } from './fuse/fuse.js';
export { outline, outlinePass, isFusedForm } from './fuse/outline.js';
export { workgroupScratchBytes, checkCone } from './fuse/cone-check.js';
export { planMemoryPass, planMemory, arenaSize, ARENA_BUFFER, type MemoryPlanStats } from './memory/plan-memory.js';
export { ARENA_ALIGNMENT, arenaBytesOf } from './memory/arena.js';
export { checkMemoryPlan } from './memory/check-plan.js';
export { runPlanned } from './memory/run-planned.js';
export { GraphRewriter, makeNode } from './rewrite.js';
export { graphToDot } from './dot.js';
export * from './autodiff/index.js';
