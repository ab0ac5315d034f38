// Autodiff: symbolic reverse mode as an IR → IR transformation (no runtime tape), the total VJP
// rule table, graph-level gradient helpers and gradient checking.
export { appendGradients, type AppendGradientsOptions } from './backprop.js';
export { copyGraphInto, gradGraph, vjpGraph, type GradGraphOptions, type VjpGraphOptions } from './grad-graph.js';
export { vjpRules, isDifferentiableOp } from './vjp-rules.js';
export type { VjpRule, VjpFn, VjpContext, NonDiff, Unsupported } from './rule.js';
export { gradcheck, dotProductTest, type GradcheckOptions, type GradcheckResult, type InputCheck, type DotProductOptions, type DotProductResult } from './gradcheck.js';
