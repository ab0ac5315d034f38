// The CPU interpreter: Kiln's semantic oracle. Walks a graph's nodes in order, evaluating each
// with its rule from `evalRules`; `call` nodes run their kernel's body the same way.

import { KilnError } from '../errors.js';
import type { Graph, Node, ValueId } from '../graph.js';
import { valueNames } from '../printer.js';
import { formatType, numel, typesEqual } from '../shape.js';
import { toHostTensor, type HostInput, type HostTensor, type Precision } from './host-tensor.js';
import type { EvalContext } from './eval-rule.js';
import { evalRules } from './eval-rules.js';

export interface InterpretOptions {
  /** 'f32' (default) rounds f32 values after every op; 'f64' keeps them in doubles (gradient checks). */
  readonly precision?: Precision;
}

/**
 * Runs `graph` on named inputs and returns every output keyed by its name (a state update is
 * keyed by the state's name). Inputs may be HostTensors, row-major number arrays, or a number
 * for single-element inputs; keys that name no input are ignored.
 */
export function interpret(graph: Graph, inputs: Readonly<Record<string, HostInput>>, opts: InterpretOptions = {}): Record<string, HostTensor> {
  const precision = opts.precision ?? 'f32';
  const values = graph.inputs.map((inp) => {
    const v = inputs[inp.name];
    if (v === undefined)
      throw new KilnError({
        message: `missing input %${inp.name} (${formatType(inp.type)})`,
        value: `%${inp.name}`,
        ...(inp.pos !== undefined ? { pos: inp.pos } : {}),
      });
    return toHostTensor(v, inp.type, precision, `input %${inp.name}`);
  });
  const outs = runGraph(graph, values, precision);
  const result: Record<string, HostTensor> = {};
  graph.outputs.forEach((o, i) => {
    const t = outs[i];
    if (t !== undefined) result[o.name] = t;
  });
  return result;
}

/**
 * Runs `graph` on inputs already converted to `precision`, in `graph.inputs` order; returns the
 * values of `graph.outputs` in order. `kernels` defaults to the graph's own kernels.
 */
export function runGraph(graph: Graph, inputs: readonly HostTensor[], precision: Precision, kernels: ReadonlyMap<string, Graph> = kernelMap(graph)): HostTensor[] {
  if (inputs.length !== graph.inputs.length) throw new KilnError({ message: `@${graph.name} takes ${graph.inputs.length} input(s), got ${inputs.length}` });
  const env = new Map<ValueId, HostTensor>();
  graph.inputs.forEach((inp, i) => env.set(inp.id, inputs[i]!));
  // Free each intermediate after its last use: training graphs hold many large temporaries.
  const lastUse = new Map<ValueId, number>();
  graph.nodes.forEach((n, i) => {
    for (const o of n.operands) lastUse.set(o, i);
  });
  for (const o of graph.outputs) lastUse.set(o.value, Infinity);
  const ctx = context(precision, kernels);
  graph.nodes.forEach((node, i) => {
    const operands = node.operands.map((v) => {
      const t = env.get(v);
      if (t === undefined) throw located(graph, node, new Error(`operand value ${v} is not defined before use`));
      return t;
    });
    env.set(node.id, evaluateIn(node, operands, ctx, graph));
    for (const o of node.operands) if (lastUse.get(o) === i) env.delete(o);
  });
  return graph.outputs.map((o) => {
    const t = env.get(o.value);
    if (t === undefined) throw new KilnError({ message: `output ${o.name} refers to an undefined value` });
    return t;
  });
}

/** Evaluates one node on operand values (constant folding uses this). */
export function evaluateNode(node: Node, operands: readonly HostTensor[], kernels: ReadonlyMap<string, Graph>, precision: Precision): HostTensor {
  return evaluateIn(node, operands, context(precision, kernels), undefined);
}

function evaluateIn(node: Node, operands: readonly HostTensor[], ctx: EvalContext, graph: Graph | undefined): HostTensor {
  // Each entry of evalRules takes its own op's node; the table's mapped type guarantees the pairing.
  const rule = evalRules[node.op] as (n: Node, ops: readonly HostTensor[], c: EvalContext) => HostTensor;
  let result: HostTensor;
  try {
    result = rule(node, operands, ctx);
  } catch (e) {
    if (e instanceof KilnError) throw e;
    throw located(graph, node, e);
  }
  if (result.data.length !== numel(node.type.shape)) throw located(graph, node, new Error(`internal: produced ${result.data.length} elements for ${formatType(node.type)}`));
  return result;
}

function located(graph: Graph | undefined, node: Node, e: unknown): KilnError {
  const name = graph !== undefined ? valueNames(graph).get(node.id) : node.name;
  return new KilnError({
    op: node.op,
    message: e instanceof Error ? e.message : String(e),
    value: name !== undefined ? `%${name}` : `%#${node.id}`,
    ...(node.pos !== undefined ? { pos: node.pos } : {}),
    ...(node.loc !== undefined ? { source: node.loc } : {}),
  });
}

function context(precision: Precision, kernels: ReadonlyMap<string, Graph>): EvalContext {
  const ctx: EvalContext = {
    precision,
    kernels,
    runKernel: (kernel, operands) => {
      if (kernel.outputs.length !== 1) throw new Error(`kernel @${kernel.name} must have exactly one output, has ${kernel.outputs.length}`);
      if (operands.length !== kernel.inputs.length) throw new Error(`kernel @${kernel.name} takes ${kernel.inputs.length} operand(s), got ${operands.length}`);
      kernel.inputs.forEach((inp, i) => {
        const t = operands[i]!;
        if (!typesEqual(t.type, inp.type)) throw new Error(`operand #${i} is ${formatType(t.type)} but @${kernel.name} expects ${formatType(inp.type)}`);
      });
      return runGraph(kernel, operands, precision, kernels)[0]!;
    },
  };
  return ctx;
}

export function kernelMap(graph: Graph): Map<string, Graph> {
  return new Map(graph.kernels.map((k) => [k.name, k]));
}
