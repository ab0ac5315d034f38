// @kiln/fuzz — the random-graph fuzzer that checks the passes against the reference evaluator:
// generators for every op, the per-pass checker, shrinking, reports with a reproducing command.
export { fuzz, formatFinding, formatFuzzReport, type FuzzOptions, type FuzzFinding, type FuzzReport } from './fuzz.js';
export { generateGraph, type GenerateOptions, type GeneratedCase } from './generate.js';
export { checkSubject, checkFusedForm, type CheckFailure, type FailureKind, type Subject } from './check.js';
export { shrinkCase } from './shrink.js';
export { opGenerators } from './op-generators.js';
export type { FuzzInputs } from './gen-context.js';
