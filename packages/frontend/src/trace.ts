// Frontend entry point: `trace(fn, specs)` runs the user's function on symbolic tensors and
// records every op into an IR Graph — inputs from the specs, parameters as state inputs, named
// outputs, and state updates (from `updates` in the result or k.assign) as updatesState outputs.

import './tensor-methods.js';
import { KilnError, isValidName, print, verifyOrThrow, type Graph, type Node, type PrintOptions, type TensorType } from '@kiln/ir';
import type { TensorSpec } from './spec.js';
import { Tensor } from './tensor.js';
import { TraceContext, withTrace, type IndexCheck, type ParamSpec, type StaticRead } from './trace-context.js';

/** What the traced function may return: one tensor, or named tensors plus optional state updates. */
export type TraceResult = Tensor | { readonly [name: string]: Tensor | Readonly<Record<string, Tensor>> | undefined };

export interface TraceOptions {
  /** Graph name (default 'main'). */
  readonly name?: string;
  /** Record the user's file:line on every node (default true). */
  readonly locations?: boolean;
}

export interface NamedType {
  readonly name: string;
  readonly type: TensorType;
}

export interface Traced {
  readonly graph: Graph;
  /** Every state input (parameters, optimizer slots, RNG keys) with its initializer. */
  readonly params: readonly ParamSpec[];
  /** Non-state inputs, in graph order. */
  readonly inputs: readonly NamedType[];
  /** Non-state outputs, in graph order. */
  readonly outputs: readonly NamedType[];
  /** Names of the state inputs the graph updates. */
  readonly updates: readonly string[];
  /** Integer inputs used as indices, checked on the host before each run by k.jit. */
  readonly indexChecks: readonly IndexCheck[];
  /** Flags the trace read (module training mode, parameter trainability): a cached compile holds only while they do. */
  readonly statics: readonly StaticRead[];
  /** The graph as IR text (with `# file:line` comments when `locations` is set). */
  print(opts?: PrintOptions): string;
}

/** The output name used when `fn` returns a single tensor. */
export const DEFAULT_OUTPUT = 'out';

export function trace<S extends Readonly<Record<string, TensorSpec>>>(fn: (inputs: { readonly [K in keyof S]: Tensor }) => TraceResult, specs: S, opts: TraceOptions = {}): Traced {
  const ctx = new TraceContext(opts.name ?? 'main', opts.locations ?? true);
  let graph: Graph;
  try {
    graph = withTrace(ctx, () => {
      const inputs: Record<string, Tensor> = {};
      for (const [name, spec] of Object.entries(specs)) inputs[name] = ctx.input(name, spec);
      const result = fn(inputs as { readonly [K in keyof S]: Tensor });
      recordOutputs(ctx, result);
      return nameValues(ctx.builder.build(), ctx.valueNames);
    });
  } finally {
    ctx.close();
  }
  verifyOrThrow(graph);
  const types = new Map<number, TensorType>();
  for (const i of graph.inputs) types.set(i.id, i.type);
  for (const n of graph.nodes) types.set(n.id, n.type);
  return {
    graph,
    params: [...ctx.params],
    inputs: graph.inputs.filter((i) => !i.state).map((i) => ({ name: i.name, type: i.type })),
    outputs: graph.outputs.filter((o) => !o.updatesState).map((o) => ({ name: o.name, type: types.get(o.value)! })),
    updates: graph.outputs.filter((o) => o.updatesState).map((o) => o.name),
    indexChecks: [...ctx.indexChecks],
    statics: [...ctx.statics],
    print: (p?: PrintOptions) => print(graph, p),
  };
}

function asOwnTensor(ctx: TraceContext, v: unknown, what: string): Tensor {
  if (!(v instanceof Tensor)) throw new KilnError({ message: `${what} must be a Tensor, got ${typeof v}` });
  ctx.checkOwn('trace', v);
  return v;
}

function recordOutputs(ctx: TraceContext, result: TraceResult): void {
  if (result instanceof Tensor) {
    ctx.builder.output(asOwnTensor(ctx, result, 'the traced function result').id, DEFAULT_OUTPUT);
    nameOutput(ctx, result, DEFAULT_OUTPUT);
  } else if (typeof result === 'object' && result !== null) {
    for (const [name, v] of Object.entries(result)) {
      if (name === 'updates' || v === undefined) continue;
      if (!isValidName(name)) throw new KilnError({ message: `output name "${name}" is not a valid IR name ([A-Za-z_][A-Za-z0-9_.]*)` });
      const t = asOwnTensor(ctx, v, `output "${name}"`);
      ctx.builder.output(t.id, name);
      nameOutput(ctx, t, name);
    }
    const updates = result['updates'];
    if (updates !== undefined && !(updates instanceof Tensor)) {
      for (const [name, v] of Object.entries(updates)) ctx.assign(name, asOwnTensor(ctx, v, `update of "${name}"`));
    } else if (updates instanceof Tensor) throw new KilnError({ message: '"updates" must be a record of state name → new value' });
  } else throw new KilnError({ message: `the traced function must return a Tensor or a record of Tensors, got ${String(result)}` });
  // State updates follow the state inputs' order, so the graph does not depend on assignment order.
  for (const p of ctx.params) {
    const v = ctx.updates.get(p.name);
    if (v !== undefined) ctx.builder.output(v.id, p.name, true);
  }
}

function nameOutput(ctx: TraceContext, t: Tensor, name: string): void {
  if (!ctx.valueNames.has(t.id)) ctx.nameValue(t, name);
}

/** Applies user-given value names to nodes that have none. */
function nameValues(g: Graph, names: ReadonlyMap<number, string>): Graph {
  if (names.size === 0) return g;
  const nodes = g.nodes.map((n): Node => {
    const name = names.get(n.id);
    return name === undefined || n.name !== undefined ? n : { ...n, name };
  });
  return { ...g, nodes };
}
