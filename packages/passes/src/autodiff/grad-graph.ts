// Autodiff at the graph level: copy a graph into a builder and append gradient outputs
// (`grad_<input>`), as used by `kiln print --grad`, gradient checks and tests.

import { GraphBuilder, KilnError, formatType, numel, type Graph, type GraphOutput, type ValueId } from '@kiln/ir';
import { appendGradients } from './backprop.js';

/**
 * Re-creates `g`'s inputs, nodes, kernels and (unless `outputs` is false) outputs in `b`; returns
 * the old → new value map.
 */
export function copyGraphInto(b: GraphBuilder, g: Graph, opts: { readonly outputs?: boolean } = {}): Map<ValueId, ValueId> {
  const map = new Map<ValueId, ValueId>();
  const lookup = (v: ValueId): ValueId => {
    const m = map.get(v);
    if (m === undefined) throw new KilnError({ message: `internal: value ${v} of @${g.name} used before definition` });
    return m;
  };
  for (const k of g.kernels) b.addKernel(k);
  for (const i of g.inputs) map.set(i.id, b.input(i.name, i.type, { state: i.state }));
  for (const n of g.nodes) {
    const id = b.add(n.op, n.operands.map(lookup), n.attrs, {
      type: n.type,
      ...(n.name !== undefined ? { name: n.name } : {}),
      ...(n.loc !== undefined ? { loc: n.loc } : {}),
    });
    map.set(n.id, id);
  }
  if (opts.outputs !== false) for (const o of g.outputs) b.output(lookup(o.value), o.name, o.updatesState);
  return map;
}

function findOutput(g: Graph, name: string): GraphOutput {
  const out = g.outputs.find((o) => o.name === name && !o.updatesState);
  if (out === undefined) throw new KilnError({ message: `@${g.name} has no output named ${name} (outputs: ${g.outputs.map((o) => o.name).join(', ')})` });
  return out;
}

function findInput(g: Graph, name: string): ValueId {
  const inp = g.inputs.find((i) => i.name === name);
  if (inp === undefined) throw new KilnError({ message: `@${g.name} has no input %${name}` });
  return inp.id;
}

function addUniqueOutput(b: GraphBuilder, g: Graph, value: ValueId, name: string): void {
  if (g.outputs.some((o) => o.name === name)) throw new KilnError({ message: `@${g.name} already has an output named ${name}` });
  b.output(value, name);
}

export interface GradGraphOptions {
  /** Name of a scalar (single-element) f32 output to differentiate. */
  readonly of: string;
  /** Names of the f32 inputs to differentiate with respect to. */
  readonly wrt: readonly string[];
}

/** `g` plus one output `grad_<name>` per `wrt` input: d(of)/d(name). */
export function gradGraph(g: Graph, opts: GradGraphOptions): Graph {
  const b = new GraphBuilder(g.name, g.kind);
  const map = copyGraphInto(b, g);
  const out = findOutput(g, opts.of);
  const y = map.get(out.value)!;
  const yt = b.typeOf(y);
  if (numel(yt.shape) !== 1) throw new KilnError({ message: `grad: output ${opts.of} must be a scalar, got ${formatType(yt)}` });
  const seed = b.add('constant', [], { value: 1 }, { type: yt });
  const xs = opts.wrt.map((name) => map.get(findInput(g, name))!);
  const grads = appendGradients(b, [y], [seed], xs);
  opts.wrt.forEach((name, i) => addUniqueOutput(b, g, grads[i]!, `grad_${name}`));
  return b.build();
}

export interface VjpGraphOptions {
  /** Names of f32 outputs; each gets a cotangent input `ct_<name>` of its type. */
  readonly of: readonly string[];
  readonly wrt: readonly string[];
}

/** `g` plus cotangent inputs `ct_<output>` and outputs `grad_<input>` = Σ_outputs J^T ct (a pullback). */
export function vjpGraph(g: Graph, opts: VjpGraphOptions): Graph {
  const b = new GraphBuilder(g.name, g.kind);
  const map = copyGraphInto(b, g);
  const ys = opts.of.map((name) => map.get(findOutput(g, name).value)!);
  const seeds = opts.of.map((name, i) => {
    const inputName = `ct_${name}`;
    if (g.inputs.some((inp) => inp.name === inputName)) throw new KilnError({ message: `@${g.name} already has an input %${inputName}` });
    return b.input(inputName, b.typeOf(ys[i]!));
  });
  const xs = opts.wrt.map((name) => map.get(findInput(g, name))!);
  const grads = appendGradients(b, ys, seeds, xs);
  opts.wrt.forEach((name, i) => addUniqueOutput(b, g, grads[i]!, `grad_${name}`));
  return b.build();
}
