// Autodiff core: reverse-mode differentiation as an IR → IR transformation. Appends to a builder
// the nodes computing vector-Jacobian products; the result is plain IR, differentiable again.

import { KilnError, formatType, typesEqual, valueLabel, type Graph, type GraphBuilder, type Node, type OpKind, type ValueId } from '@kiln/ir';
import { Emitter } from './emitter.js';
import type { VjpContext, VjpFn } from './rule.js';
import { vjpRules } from './vjp-rules.js';

export interface AppendGradientsOptions {
  /**
   * Nodes before this index of the builder's node list are treated as constants: gradients flow
   * only through nodes appended from here on. Function transforms (grad(f)) pass the node count at
   * the start of f, so values f closes over are constants, as in JAX. Default 0 (the whole graph).
   */
  readonly firstActiveNode?: number;
}

/**
 * Appends to `b` the nodes computing d(Σ_i <seeds[i], ys[i]>)/dx for each x in `xs`, and returns
 * those values in order (a zeros constant for an x that does not influence the ys). Only nodes on a
 * differentiable path from xs to ys are visited; cotangents arriving over fan-out are summed with
 * `add`. An x may be any f32 value of the graph, not only an input (TF-style `gradients`).
 */
export function appendGradients(b: GraphBuilder, ys: readonly ValueId[], seeds: readonly ValueId[], xs: readonly ValueId[], opts: AppendGradientsOptions = {}): ValueId[] {
  if (ys.length !== seeds.length) throw new KilnError({ message: `gradients: ${ys.length} output(s) but ${seeds.length} seed(s)` });
  const g = b.build();
  ys.forEach((y, i) => {
    const seed = seeds[i]!;
    const yt = b.typeOf(y);
    if (yt.dtype !== 'f32') throw new KilnError({ message: `gradients: cannot differentiate ${formatType(yt)} output (only f32)`, value: valueLabel(g, y) });
    if (!typesEqual(yt, b.typeOf(seed)))
      throw new KilnError({ message: `gradients: seed ${formatType(b.typeOf(seed))} does not match output ${formatType(yt)}`, value: valueLabel(g, y) });
  });
  for (const x of xs) {
    const xt = b.typeOf(x);
    if (xt.dtype !== 'f32') throw new KilnError({ message: `gradients: cannot differentiate with respect to ${formatType(xt)} (only f32)`, value: valueLabel(g, x) });
  }

  const active = forwardActive(g, xs, opts.firstActiveNode ?? 0);
  const needed = backwardNeeded(g, ys, active);
  const producers = new Map<ValueId, Node>(g.nodes.map((n) => [n.id, n]));

  const parts = new Map<ValueId, ValueId[]>();
  const contribute = (v: ValueId, ct: ValueId): void => {
    const list = parts.get(v);
    if (list === undefined) parts.set(v, [ct]);
    else list.push(ct);
  };
  ys.forEach((y, i) => {
    if (needed.has(y)) contribute(y, seeds[i]!);
  });
  const settled = new Map<ValueId, ValueId>();
  const cotangentOf = (v: ValueId, e: Emitter): ValueId | undefined => {
    const done = settled.get(v);
    if (done !== undefined) return done;
    const list = parts.get(v);
    if (list === undefined) return undefined;
    const sum = e.sum(list);
    settled.set(v, sum);
    return sum;
  };

  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const node = g.nodes[i]!;
    if (!needed.has(node.id)) continue;
    const e = new Emitter(b, node.loc, producers);
    const ct = cotangentOf(node.id, e);
    if (ct === undefined) continue;
    const needs = node.operands.map((o) => needed.has(o));
    const cts = runRule(g, node, { e, ct, needs });
    node.operands.forEach((o, k) => {
      const c = cts[k];
      if (!needs[k] || c === undefined) return;
      const want = b.typeOf(o);
      if (!typesEqual(b.typeOf(c), want))
        throw new KilnError({
          op: node.op,
          message: `internal: VJP rule produced ${formatType(b.typeOf(c))} for operand #${k} of type ${formatType(want)}`,
          value: valueLabel(g, node.id),
        });
      contribute(o, c);
    });
  }

  const root = new Emitter(b, undefined, producers);
  return xs.map((x) => cotangentOf(x, root) ?? root.zerosLike(x));
}

/** Values that depend on some x through ops gradients flow through (f32 results only). */
function forwardActive(g: Graph, xs: readonly ValueId[], firstActiveNode: number): Set<ValueId> {
  const active = new Set<ValueId>(xs);
  for (let i = Math.max(firstActiveNode, 0); i < g.nodes.length; i++) {
    const n = g.nodes[i]!;
    if (active.has(n.id) || n.type.dtype !== 'f32') continue;
    const rule = vjpRules[n.op];
    if (typeof rule !== 'function' && rule.kind === 'nondiff') continue;
    if (n.operands.some((o) => active.has(o))) active.add(n.id);
  }
  return active;
}

/** Active values some y depends on: the nodes backprop must visit. */
function backwardNeeded(g: Graph, ys: readonly ValueId[], active: ReadonlySet<ValueId>): Set<ValueId> {
  const needed = new Set<ValueId>(ys.filter((y) => active.has(y)));
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (!needed.has(n.id)) continue;
    for (const o of n.operands) if (active.has(o)) needed.add(o);
  }
  return needed;
}

function runRule(g: Graph, node: Node, c: Omit<VjpContext<OpKind>, 'node'>): readonly (ValueId | undefined)[] {
  const rule = vjpRules[node.op];
  if (typeof rule !== 'function') {
    const where = { op: node.op, value: valueLabel(g, node.id), ...(node.loc !== undefined ? { source: node.loc } : {}), ...(node.pos !== undefined ? { pos: node.pos } : {}) };
    throw new KilnError({ ...where, message: `cannot differentiate through ${node.op}: ${rule.why}` });
  }
  // Each entry of vjpRules takes its own op's node; the table's mapped type guarantees the pairing.
  const fn = rule as VjpFn<OpKind>;
  try {
    return fn({ ...c, node: node });
  } catch (e) {
    if (e instanceof KilnError) throw e;
    const where = { op: node.op, value: valueLabel(g, node.id), ...(node.loc !== undefined ? { source: node.loc } : {}) };
    throw new KilnError({ ...where, message: `gradient rule failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}
