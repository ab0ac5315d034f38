// Test-case shrinking: repeatedly try smaller variants of a failing graph (fewer outputs, nodes cut
// into inputs holding their values, nodes bypassed, unused inputs dropped, smaller dims) and keep
// the first that still fails the same way, until none does or the budget runs out.

import { verify, type Graph, type GraphInput, type Shape, type ValueId, interpret } from '@kiln/ir';
import { removeDeadNodes } from '@kiln/passes';
import type { FuzzInputs } from './gen-context.js';
import { substituteSize } from './resize.js';

export interface Case {
  readonly graph: Graph;
  readonly inputs: FuzzInputs;
}

function replaceUses(g: Graph, from: ValueId, to: ValueId): Graph {
  const sub = (v: ValueId): ValueId => (v === from ? to : v);
  return removeDeadNodes({
    ...g,
    nodes: g.nodes.map((n) => (n.operands.includes(from) ? { ...n, operands: n.operands.map(sub) } : n)),
    outputs: g.outputs.map((o) => ({ ...o, value: sub(o.value) })),
  }).graph;
}

/** Every node's value under the case's inputs (for cutting nodes into inputs). */
function nodeValues(c: Case): Map<ValueId, number[]> {
  const probe: Graph = { ...c.graph, outputs: c.graph.nodes.map((n) => ({ value: n.id, name: `v${n.id}`, updatesState: false })) };
  const out = interpret(probe, c.inputs);
  return new Map(c.graph.nodes.map((n) => [n.id, Array.from(out[`v${n.id}`]?.data ?? [])]));
}

function freshName(g: Graph, base: string): string {
  const used = new Set([...g.inputs.map((i) => i.name), ...g.nodes.flatMap((n) => (n.name !== undefined ? [n.name] : []))]);
  let name = base;
  for (let k = 2; used.has(name); k++) name = `${base}_${k}`;
  return name;
}

function* candidates(c: Case): Generator<Case> {
  const g = c.graph;
  for (let i = 0; i < g.outputs.length && g.outputs.length > 1; i++) yield { ...c, graph: removeDeadNodes({ ...g, outputs: g.outputs.filter((_, j) => j !== i) }).graph };
  // A single output at an earlier node drops everything after it.
  const first = g.outputs[0];
  if (first !== undefined)
    for (const n of g.nodes)
      if (!first.updatesState && n.id !== first.value) yield { ...c, graph: removeDeadNodes({ ...g, outputs: [{ value: n.id, name: first.name, updatesState: false }] }).graph };
  const dce = removeDeadNodes(g);
  if (dce.removedNodes > 0) yield { ...c, graph: dce.graph };
  let values: Map<ValueId, number[]> | undefined;
  try {
    values = nodeValues(c);
  } catch {
    values = undefined;
  }
  for (const n of g.nodes) {
    const data = values?.get(n.id);
    if (data === undefined) continue;
    const name = freshName(g, `c${n.id}`);
    const input: GraphInput = { id: n.id, name, type: n.type, state: false };
    yield { graph: removeDeadNodes({ ...g, inputs: [...g.inputs, input], nodes: g.nodes.filter((m) => m !== n) }).graph, inputs: { ...c.inputs, [name]: data } };
  }
  const types = new Map<ValueId, string>(g.inputs.map((i) => [i.id, `${i.type.dtype}${i.type.shape.join()}`]));
  for (const n of g.nodes) types.set(n.id, `${n.type.dtype}${n.type.shape.join()}`);
  for (const n of g.nodes) for (const o of new Set(n.operands)) if (types.get(o) === types.get(n.id)) yield { ...c, graph: replaceUses(g, n.id, o) };
  const used = new Set<ValueId>([...g.nodes.flatMap((n) => n.operands), ...g.outputs.map((o) => o.value)]);
  const updated = new Set(g.outputs.filter((o) => o.updatesState).map((o) => o.name));
  for (const i of g.inputs)
    if (!used.has(i.id) && !updated.has(i.name)) {
      const rest = Object.fromEntries(Object.entries(c.inputs).filter(([k]) => k !== i.name));
      yield { graph: { ...g, inputs: g.inputs.filter((x) => x !== i) }, inputs: rest };
    }
  const sizes = new Set<number>();
  const collect = (s: Shape): void => s.forEach((d) => d > 1 && sizes.add(d));
  g.inputs.forEach((i) => collect(i.type.shape));
  g.nodes.forEach((n) => collect(n.type.shape));
  for (const d of [...sizes].sort((a, b) => b - a))
    for (const to of d > 2 ? [1, d - 1] : [1]) {
      const r = substituteSize(c, d, to);
      if (r !== undefined) yield r;
    }
}

export interface ShrinkResult extends Case {
  readonly steps: number;
  readonly attempts: number;
}

/** Shrinks `c` while `fails` holds; tries at most `budget` candidates. */
export function shrinkCase(c: Case, fails: (c: Case) => boolean, budget = 400): ShrinkResult {
  let cur = c;
  let steps = 0;
  let attempts = 0;
  for (;;) {
    let next: Case | undefined;
    for (const cand of candidates(cur)) {
      if (attempts++ >= budget) return { ...cur, steps, attempts };
      if (verify(cand.graph).length > 0) continue;
      let failing = false;
      try {
        failing = fails(cand);
      } catch {
        failing = false;
      }
      if (failing) {
        next = cand;
        break;
      }
    }
    if (next === undefined) return { ...cur, steps, attempts };
    cur = next;
    steps++;
  }
}
