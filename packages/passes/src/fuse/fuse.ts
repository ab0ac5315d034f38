// Pass `fuse`: groups primitive nodes into kernels (docs/architecture.md, "One training step").
// A fusion is a choice of materialized values; each becomes one kernel computing it from its cone
// of unmaterialized nodes.
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

import { KilnError, isAnchor, maxValueId, opDefErased, type Graph, type Node, type ValueId } from '@kiln/ir';
import { removeDeadNodes } from '../dce.js';
import { IdMap, IdSet } from '../id-map.js';
import { resolveLimits, type FusionLimits, type Pass, type PassOptions, type PassResult } from '../pass.js';
import { checkCone, withInputs, type ConeStructure } from './cone-check.js';
import { coneFrom, forcedRoots, indexForFusion, type FusionIndex } from './fusion-index.js';
import { addToCone, membersOf, startCone, trialAdd, type GrowingCone } from './growing-cone.js';
import { emitFusedGraph } from './kernels.js';
import { splitWideConcats } from './wide-concat.js';

export const DEFAULT_MAX_RECOMPUTE_OPS = 4;
const MAX_RECOMPUTE_REGION = 64;

/** The recompute rule (see the header): is `n` cheap enough to compute in several kernels? */
function cheapToRecompute(n: Node, ix: FusionIndex, forced: IdSet, maxOps: number): boolean {
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

export interface FusionDecision {
  readonly roots: IdSet;
  /** Each root's cone, topologically ordered. */
  readonly cones: IdMap<readonly Node[]>;
}

/** Decides which values to materialize (see the header comment) for a DCE'd graph. */
export function decideFusion(g: Graph, limits: FusionLimits, maxRecomputeOps: number, ix: FusionIndex = indexForFusion(g)): FusionDecision {
  const forced = forcedRoots(g);
  const capacity = maxValueId(g) + 1;
  const roots = new IdSet(
    capacity,
    g.nodes.map((n) => n.id),
  );
  // Created on first use: most nodes are absorbed before anything joins them.
  const cones = new IdMap<GrowingCone>(capacity);
  const coneOf = (c: ValueId): GrowingCone => {
    let cone = cones.get(c);
    if (cone === undefined) cones.set(c, (cone = startCone(ix.byId.get(c)!, ix.typeOf, limits)));
    return cone;
  };
  /** The cones each absorbed node lives in (a root lives in its own: absent here). */
  const membership = new IdMap<readonly ValueId[]>(capacity);
  const target = new Set<ValueId>();
  const trials: ConeStructure[] = [];
  for (let i = g.nodes.length - 1; i >= 0; i--) {
    const n = g.nodes[i]!;
    if (forced.has(n.id)) continue;
    const users = ix.users.get(n.id) ?? [];
    // A call's kernel is fixed: its operands are buffers, never absorbed.
    if (users.length === 0 || users.some((u) => u.op === 'call')) continue;
    target.clear();
    for (const u of users) {
      const m = membership.get(u.id);
      if (m === undefined) target.add(u.id);
      else for (const c of m) target.add(c);
    }
    if (target.size > 1 && !cheapToRecompute(n, ix, forced, maxRecomputeOps)) continue;
    trials.length = 0;
    for (const c of target) {
      const trial = trialAdd(coneOf(c), n, ix.typeOf, limits);
      if (!withInputs(trial.structure, trial.inputs, limits).ok) break;
      trials.push(trial.structure);
    }
    if (trials.length < target.size) continue;
    roots.delete(n.id);
    const joined = [...target];
    membership.set(n.id, joined);
    joined.forEach((c, k) => addToCone(coneOf(c), n, trials[k]!));
  }
  // The grown cones are exactly those reached from each root without crossing another root.
  // Only a cone whose relaxed verdict is 'row-single' can fail the strict check: every other
  // branch of the check treats both alike, and every grown cone passed the relaxed check.
  const grown = new IdMap<readonly Node[]>(capacity);
  const suspect: ValueId[] = [];
  // In graph order (the roots left after absorbing).
  for (const { id: r } of g.nodes) {
    if (!roots.has(r)) continue;
    const cone = cones.get(r);
    grown.set(r, cone === undefined ? [ix.byId.get(r)!] : membersOf(cone));
    if (cone !== undefined && (!cone.structure.ok || cone.structure.kind === 'row-single')) suspect.push(r);
  }
  return legalize(roots, grown, suspect, ix, limits);
}

/**
 * Splits the reduction off every cone that is only legal as an intermediate (a lone row
 * reduction), starting from the `pending` cones that may be one. Anchors are never recomputed,
 * so the split anchor lies in that one cone: only it and the anchor's new cone need recomputing
 * and rechecking.
 */
function legalize(roots: IdSet, cones: IdMap<readonly Node[]>, pending: ValueId[], ix: FusionIndex, limits: FusionLimits): FusionDecision {
  while (pending.length > 0) {
    const r = pending.pop()!;
    const cone = cones.get(r)!;
    // One op alone is the outline form, always accepted: if it exceeds a device limit by
    // itself, the runtime must split it or fall back.
    if (cone.length === 1) continue;
    const root = ix.byId.get(r)!;
    const verdict = checkCone(cone, root, ix.typeOf, limits, false);
    if (verdict.ok) continue;
    const relaxed = checkCone(cone, root, ix.typeOf, limits, true);
    if (!relaxed.ok || relaxed.kind !== 'row-single') throw new KilnError({ message: `internal: fuse built an illegal kernel for value #${r}: ${verdict.reason}` });
    const a = relaxed.anchor.id;
    roots.add(a);
    for (const c of [r, a]) {
      cones.set(c, coneFrom(c, roots, ix));
      pending.push(c);
    }
  }
  return { roots, cones };
}

export function fuseGraph(graph: Graph, options: PassOptions = {}): PassResult {
  const limits = resolveLimits(options);
  const dce = removeDeadNodes(graph);
  const wide = splitWideConcats(dce.graph, limits.maxStorageBuffersPerShaderStage - 1);
  const g = wide.graph;
  const ix = indexForFusion(g);
  const { roots, cones } = decideFusion(g, limits, options.maxRecomputeOps ?? DEFAULT_MAX_RECOMPUTE_OPS, ix);
  const out = emitFusedGraph(g, roots, (root) => cones.get(root.id) ?? [root], ix.typeOf);
  let memberships = 0;
  for (const n of g.nodes) {
    const cone = cones.get(n.id); // present exactly for the roots
    if (cone !== undefined) memberships += cone.length;
  }
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
