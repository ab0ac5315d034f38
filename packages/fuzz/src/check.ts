// One fuzz check: run a pass (or the whole pipeline) on a graph and demand that the result
// verifies, prints/parses back to the same text, meets the pass's postcondition and computes
// the same outputs as the input graph on the same inputs.

import { classifyKernel, parse, print, verify, type Graph, type TensorType, type ValueId, interpret, type HostTensor } from '@kiln/ir';
import { checkCone, checkMemoryPlan, runPlanned, resolveLimits, type Pass, type PassOptions, runPipeline, DEFAULT_PIPELINE } from '@kiln/passes';
import { compareOutputs } from './compare.js';
import type { FuzzInputs } from './gen-context.js';

export type FailureKind = 'throw' | 'verify' | 'roundtrip' | 'postcondition' | 'mismatch';

export interface CheckFailure {
  readonly kind: FailureKind;
  readonly message: string;
  /** The pass output, when there was one. */
  readonly output?: string;
}

/** What is checked: one pass, or the default pipeline run as a whole. */
export type Subject = { readonly kind: 'pass'; readonly pass: Pass } | { readonly kind: 'pipeline'; readonly pipeline: string };

export function subjectName(s: Subject): string {
  return s.kind === 'pass' ? s.pass.name : `pipeline(${s.pipeline})`;
}

export const PIPELINE_SUBJECT: Subject = { kind: 'pipeline', pipeline: DEFAULT_PIPELINE };

/**
 * The fused form: every node a call, every kernel classifiable, and every kernel of more than one
 * op within the device limits and of the stricter structure fusion promises codegen
 * (fuse/cone-check.ts).
 */
export function checkFusedForm(g: Graph, options: PassOptions = {}): string[] {
  const problems: string[] = [];
  const limits = resolveLimits(options);
  for (const n of g.nodes) if (n.op !== 'call') problems.push(`top-level node ${n.op} is not a call`);
  for (const k of g.kernels) {
    const cls = classifyKernel(k);
    if (!cls.ok) problems.push(cls.reason);
    const types = new Map<ValueId, TensorType>([...k.inputs.map((i) => [i.id, i.type] as const), ...k.nodes.map((n) => [n.id, n.type] as const)]);
    const root = k.nodes.find((n) => n.id === k.outputs[0]?.value);
    // A single op is exempt from the limits: nothing can split it here (the runtime must).
    if (root === undefined || k.nodes.length === 1) continue;
    const verdict = checkCone(k.nodes, root, (v) => types.get(v) ?? { dtype: 'f32', shape: [] }, limits, false);
    if (!verdict.ok) problems.push(`kernel @${k.name}: ${verdict.reason}`);
  }
  return problems;
}

function postcondition(name: string, g: Graph, options: PassOptions): string[] {
  switch (name) {
    case 'fuse':
    case 'outline':
      return checkFusedForm(g, options);
    case 'plan-memory':
      return checkMemoryPlan(g);
    default:
      return [];
  }
}

interface Ran {
  readonly graph: Graph;
  /** Whether the one inexact rewrite (log-exp) fired, so signed zeros may differ. */
  readonly inexact: boolean;
  /** Passes whose postconditions hold for the result: fusion's form survives later passes, a plan only if last. */
  readonly postconditions: readonly string[];
}

function run(subject: Subject, g: Graph, options: PassOptions): Ran {
  if (subject.kind === 'pass') {
    const r = subject.pass.run(g, options);
    return { graph: r.graph, inexact: (r.stats['log-exp'] ?? 0) > 0, postconditions: [subject.pass.name] };
  }
  const r = runPipeline(g, subject.pipeline, options);
  const inexact = r.stats.some((s) => (s.stats['log-exp'] ?? 0) > 0);
  const names = r.passes.map((p) => p.pass);
  const post: string[] = names.filter((n) => n === 'fuse' || n === 'outline');
  if (names[names.length - 1] === 'plan-memory') post.push('plan-memory');
  return { graph: r.graph, inexact, postconditions: post };
}

/** Checks `subject` on `g`; `reference` is interpret(g, inputs) when already known. */
export function checkSubject(subject: Subject, g: Graph, inputs: FuzzInputs, options: PassOptions = {}, reference?: Record<string, HostTensor>): CheckFailure | undefined {
  let out: ReturnType<typeof run>;
  try {
    out = run(subject, g, options);
  } catch (e) {
    return { kind: 'throw', message: `${subjectName(subject)} threw: ${e instanceof Error ? e.message : String(e)}` };
  }
  const text = print(out.graph);
  const diags = verify(out.graph);
  if (diags.length > 0) return { kind: 'verify', message: diags.map((d) => `${d.value ?? ''} ${d.op ?? ''}: ${d.message}`).join('\n'), output: text };
  let again: string;
  try {
    again = print(parse(text));
  } catch (e) {
    return { kind: 'roundtrip', message: `output does not parse: ${e instanceof Error ? e.message : String(e)}`, output: text };
  }
  if (again !== text) return { kind: 'roundtrip', message: 'print(parse(print(g))) differs from print(g)', output: text };
  const problems = out.postconditions.flatMap((name) => postcondition(name, out.graph, options));
  if (problems.length > 0) return { kind: 'postcondition', message: problems.join('\n'), output: text };
  let actual: Record<string, HostTensor>;
  try {
    actual = interpret(out.graph, inputs);
  } catch (e) {
    return { kind: 'throw', message: `interpreting the output threw: ${e instanceof Error ? e.message : String(e)}`, output: text };
  }
  const expected = reference ?? interpret(g, inputs);
  const diff = compareOutputs(expected, actual, !out.inexact);
  if (diff !== undefined) return { kind: 'mismatch', message: diff, output: text };
  if (!out.postconditions.includes('plan-memory')) return undefined;
  // Execute through the planned buffers: a value clobbered while still needed changes an output.
  let planned: Record<string, HostTensor>;
  try {
    planned = runPlanned(out.graph, inputs);
  } catch (e) {
    return { kind: 'postcondition', message: `running through the memory plan threw: ${e instanceof Error ? e.message : String(e)}`, output: text };
  }
  const clobbered = compareOutputs(expected, planned, !out.inexact);
  return clobbered === undefined ? undefined : { kind: 'postcondition', message: `running through the memory plan: ${clobbered}`, output: text };
}
