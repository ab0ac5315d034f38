// Pass `fuse`: groups primitive nodes into kernels (contract C2). A fusion is a choice of
// materialized values; each becomes one kernel computing it from its cone of unmaterialized nodes.
//
// Greedy, consumers first (reverse topological order): a node is absorbed into the cones of its
// users when every resulting cone stays legal (cone-check.ts). Recompute rule: a node whose users
// sit in more than one kernel is absorbed into (recomputed in) each of them only when it is an
// elementwise/layout/source op and the elementwise/layout/source region feeding it — walking back
// until an anchor (matmul, conv, reduction, window, gather, scatter), a call, a graph input or a
// forced value — has at most `maxRecomputeOps` elementwise ops (default 4); otherwise it is
// materialized once. Anchors are never recomputed. Always materialized: graph outputs, calls,
// window/gather/scatter ops (no epilogue allowed) and constants over 16 elements (no big tables
// inlined into shaders).

import { KilnError, isAnchor, numel, opDefErased, type Graph, type Node, type TensorType, type ValueId } from '@kiln/ir';
import { constantSplat } from '../constants.js';
import { removeDeadNodes } from '../dce.js';
import { resolveLimits, type DeviceLimits, type Pass, type PassOptions, type PassResult } from '../pass.js';
import { positions } from '../rewrite.js';
import { checkCone } from './cone-check.js';
import { emitFusedGraph } from './kernels.js';
import { splitWideConcats } from './wide-concat.js';

export const DEFAULT_MAX_RECOMPUTE_OPS = 4;
const MAX_INLINE_CONSTANT = 16;
const MAX_RECOMPUTE_REGION = 64;

interface Index {
  readonly byId: Map<ValueId, Node>;
  readonly users: Map<ValueId, Node[]>;
  readonly pos: Map<ValueId, number>;
  readonly types: Map<ValueId, TensorType>;
  readonly typeOf: (v: ValueId) => TensorType;
}

function indexOf(g: Graph): Index {
  const byId = new Map<ValueId, Node>();
  const users = new Map<ValueId, Node[]>();
  const types = new Map<ValueId, TensorType>();
  for (const i of g.inputs) types.set(i.id, i.type);
  for (const n of g.nodes) {
    byId.set(n.id, n);
    types.set(n.id, n.type);
    for (const o of new Set(n.operands)) {
      const list = users.get(o);
      if (list === undefined) users.set(o, [n]);
      else list.push(n);
    }
  }
  const typeOf = (v: ValueId): TensorType => {
    const t = types.get(v);
    if (t === undefined) throw new Error(`internal: fuse: no type for value ${v}`);
    return t;
  };
  return { byId, users, pos: positions(g), types, typeOf };
}

/** Values that must be kernel outputs whatever the neighbours. */
function forcedRoots(g: Graph): Set<ValueId> {
  const forced = new Set<ValueId>(g.outputs.map((o) => o.value));
  for (const n of g.nodes) {
    const fusion = opDefErased(n.op).fusion;
    if (fusion === 'call' || fusion === 'window' || fusion === 'gather' || fusion === 'scatter') forced.add(n.id);
    if (n.op === 'constant' && constantSplat(n) === undefined && numel(n.type.shape) > MAX_INLINE_CONSTANT) forced.add(n.id);
  }
  return forced;
}

/** The recompute rule (see the header): is `n` cheap enough to compute in several kernels? */
function cheapToRecompute(n: Node, ix: Index, forced: ReadonlySet<ValueId>, maxOps: number): boolean {
  const seen = new Set<ValueId>();
  const stack = [n];
  let ops = 0;
  while (stack.length > 0) {
    const m = stack.pop()!;
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    if (isAnchor(m) || m.op === 'call' || (m !== n && forced.has(m.id))) {
      if (m === n) return false;
      continue;
    }
    if (opDefErased(m.op).fusion === 'elementwise') ops++;
    if (ops > maxOps || seen.size > MAX_RECOMPUTE_REGION) return false;
    for (const o of m.operands) {
      const p = ix.byId.get(o);
      if (p !== undefined) stack.push(p);
    }
  }
  return !forced.has(n.id);
}

/** Cone of every root: the nodes reachable from it without crossing another root. */
function conesFrom(g: Graph, roots: ReadonlySet<ValueId>, ix: Index): Map<ValueId, Set<ValueId>> {
  const cones = new Map<ValueId, Set<ValueId>>();
  for (const r of roots) {
    const cone = new Set<ValueId>([r]);
    const stack = [r];
    while (stack.length > 0) {
      const v = stack.pop()!;
      for (const o of ix.byId.get(v)?.operands ?? []) {
        if (cone.has(o) || roots.has(o) || !ix.byId.has(o)) continue;
        cone.add(o);
        stack.push(o);
      }
    }
    cones.set(r, cone);
  }
  return cones;
}

function ordered(ids: Iterable<ValueId>, ix: Index): Node[] {
  return [...ids].sort((a, b) => ix.pos.get(a)! - ix.pos.get(b)!).map((id) => ix.byId.get(id)!);
}

export interface FusionDecision {
  readonly roots: Set<ValueId>;
  readonly cones: Map<ValueId, Set<ValueId>>;
}

/** Decides which values to materialize (see the header comment) for a DCE'd graph. */
export function decideFusion(g: Graph, limits: DeviceLimits, maxRecomputeOps: number): FusionDecision {
  const ix = indexOf(g);
  const forced = forcedRoots(g);
  const roots = new Set<ValueId>(g.nodes.map((n) => n.id));
  const cones = new Map<ValueId, Set<ValueId>>(g.nodes.map((n) => [n.id, new Set([n.id])]));
  const membership = new Map<ValueId, Set<ValueId>>(g.nodes.map((n) => [n.id, new Set([n.id])]));
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (forced.has(n.id)) continue;
    const users = ix.users.get(n.id) ?? [];
    // A call's kernel is fixed: its operands are buffers, never absorbed.
    if (users.some((u) => u.op === 'call')) continue;
    const target = new Set<ValueId>();
    for (const u of users) for (const c of membership.get(u.id) ?? []) target.add(c);
    if (target.size === 0) continue;
    if (target.size > 1 && !cheapToRecompute(n, ix, forced, maxRecomputeOps)) continue;
    const legal = [...target].every((c) => checkCone(ordered([...cones.get(c)!, n.id], ix), ix.byId.get(c)!, ix.typeOf, limits, true).ok);
    if (!legal) continue;
    roots.delete(n.id);
    cones.delete(n.id);
    membership.set(n.id, target);
    for (const c of target) cones.get(c)!.add(n.id);
  }
  return legalize(g, roots, ix, limits);
}

/** Splits the reduction off every cone that is only legal as an intermediate (a lone row reduction). */
function legalize(g: Graph, roots: Set<ValueId>, ix: Index, limits: DeviceLimits): FusionDecision {
  for (;;) {
    const cones = conesFrom(g, roots, ix);
    let split = false;
    for (const [r, cone] of cones) {
      // One op alone is the outline form, always accepted: if it exceeds a device limit by
      // itself, the runtime must split it or fall back.
      if (cone.size === 1) continue;
      const verdict = checkCone(ordered(cone, ix), ix.byId.get(r)!, ix.typeOf, limits, false);
      if (verdict.ok) continue;
      const relaxed = checkCone(ordered(cone, ix), ix.byId.get(r)!, ix.typeOf, limits, true);
      if (!relaxed.ok || relaxed.kind !== 'row-single')
        throw new KilnError({ message: `internal: fuse built an illegal kernel for value #${r}: ${verdict.reason}` });
      roots.add(relaxed.anchor.id);
      split = true;
    }
    if (!split) return { roots, cones };
  }
}

export function fuseGraph(graph: Graph, options: PassOptions = {}): PassResult {
  const limits = resolveLimits(options);
  const dce = removeDeadNodes(graph);
  const wide = splitWideConcats(dce.graph, limits.maxStorageBuffersPerKernel - 1);
  const g = wide.graph;
  const ix = indexOf(g);
  const { roots, cones } = decideFusion(g, limits, options.maxRecomputeOps ?? DEFAULT_MAX_RECOMPUTE_OPS);
  const out = emitFusedGraph(g, roots, (root) => ordered(cones.get(root.id) ?? [root.id], ix), ix.typeOf);
  let memberships = 0;
  for (const c of cones.values()) memberships += c.size;
  const absorbed = g.nodes.length - roots.size;
  const stats = {
    kernels: out.graph.nodes.length,
    uniqueKernels: out.newKernels,
    primitiveOps: g.nodes.filter((n) => n.op !== 'call').length,
    absorbed,
    recomputed: memberships - g.nodes.length,
    splitConcats: wide.split,
    removedNodes: dce.removedNodes,
  };
  const changed = stats.primitiveOps > 0 || dce.removedNodes > 0 || out.newKernels > 0;
  return { graph: changed ? out.graph : graph, changed, stats };
}

export const fusePass: Pass = {
  name: 'fuse',
  description: 'group nodes into kernels (elementwise chains, reduction/matmul/conv prologues+epilogues, row kernels); every node becomes a call',
  run: (graph, options) => fuseGraph(graph, options),
};
