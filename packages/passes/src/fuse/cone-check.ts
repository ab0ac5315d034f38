// Fusion legality: may this set of nodes (a "cone": a root value plus the unmaterialized nodes it
// is computed from) become one kernel? Mirrors the classes of classifyKernel (@kiln/ir) with the
// stricter structure codegen templates need, plus device limits.

import { MAX_REDUCTION_LANES, elementAt, isAnchor, opDefErased, scratchBytesPerLane, shapesEqual, type Node, type Shape, type TensorType, type ValueId } from '@kiln/ir';
import type { FusionLimits } from '../pass.js';

export type ConeVerdict =
  | { readonly ok: true; readonly kind: 'elementwise' | 'reduction' | 'row' | 'matmul' | 'conv' | 'single'; readonly inputs: number }
  /** Legal only as an intermediate state: one row reduction broadcast back over its rows. */
  | { readonly ok: true; readonly kind: 'row-single'; readonly anchor: Node; readonly inputs: number }
  | { readonly ok: false; readonly reason: string };

/**
 * Workgroup memory a kernel whose workgroups tree-combine `reductions` needs at its widest
 * (codegen narrows the workgroup to fit, but fusion keeps the full width possible). The row
 * itself is never cached in workgroup memory, so its length does not count; GEMM and conv
 * tiles are sized by codegen's schedules, which it checks against the limits itself.
 */
export function workgroupScratchBytes(reductions: readonly Node[]): number {
  return MAX_REDUCTION_LANES * scratchBytesPerLane(reductions);
}

function isRowReduction(n: Node, typeOf: (v: ValueId) => TensorType): boolean {
  if (n.op !== 'reduce_sum' && n.op !== 'reduce_max' && n.op !== 'reduce_min') return false;
  const r = typeOf(elementAt(n.operands, 0, 'reduction operands')).shape.length;
  return r >= 1 && n.attrs.axes.length === 1 && n.attrs.axes[0] === r - 1;
}

/** Nodes of the cone that depend on one of `from` (in cone order). */
function downstreamOf(members: readonly Node[], from: readonly Node[]): Set<ValueId> {
  const d = new Set<ValueId>(from.map((n) => n.id));
  const result = new Set<ValueId>();
  for (const n of members)
    if (n.operands.some((o) => d.has(o))) {
      d.add(n.id);
      result.add(n.id);
    }
  return result;
}

/**
 * Row structure: every node that depends on a reduction computes one value per row (shape P or
 * [P,1]) or per row element (the row shape [P,L]); values get from per-row to per-element only by
 * broadcasting back along the last axis.
 */
function rowStructureProblem(members: readonly Node[], down: ReadonlySet<ValueId>, rowShape: Shape, rootType: TensorType, typeOf: (v: ValueId) => TensorType): string | undefined {
  const r = rowShape.length;
  const perRow = rowShape.slice(0, r - 1);
  const keep = [...perRow, 1];
  const isPerRow = (s: Shape): boolean => shapesEqual(s, perRow) || shapesEqual(s, keep);
  const isRowish = (s: Shape): boolean => isPerRow(s) || shapesEqual(s, rowShape);
  for (const n of members) {
    if (!down.has(n.id) || isAnchor(n)) continue;
    const fusion = opDefErased(n.op).fusion;
    const x = typeOf(elementAt(n.operands, 0, 'operands of a node downstream of an anchor')).shape;
    if (fusion === 'elementwise' && isRowish(n.type.shape)) continue;
    if (n.op === 'reshape' && isPerRow(x) && isPerRow(n.type.shape)) continue;
    if (n.op === 'broadcast' && shapesEqual(n.type.shape, rowShape)) {
      const lead = Array.from({ length: r - 1 }, (_, i) => i);
      if (shapesEqual(x, perRow) && shapesEqual(n.attrs.dims, lead)) continue;
      if (shapesEqual(x, keep) && shapesEqual(n.attrs.dims, [...lead, r - 1])) continue;
    }
    return `${n.op} ${n.type.shape.join('x')} breaks the row structure`;
  }
  return isRowish(rootType.shape) ? undefined : 'row kernel output must be per row or per row element';
}

/**
 * What a cone's legality depends on besides its input count: its kind (or why it is illegal).
 * Adding a node that is not an anchor at the topological front of a cone (fusion grows cones
 * that way) leaves it unchanged, so fusion re-derives only the input count for such a node.
 */
export type ConeStructure =
  | { readonly ok: true; readonly kind: 'elementwise' | 'reduction' | 'row' | 'matmul' | 'conv' | 'single' }
  | { readonly ok: true; readonly kind: 'row-single'; readonly anchor: Node }
  | { readonly ok: false; readonly reason: string };

/** The values a cone reads from outside itself, in first-use order. */
export function coneInputs(members: readonly Node[]): Set<ValueId> {
  const inCone = new Set(members.map((n) => n.id));
  const inputs = new Set<ValueId>();
  for (const n of members) for (const o of n.operands) if (!inCone.has(o)) inputs.add(o);
  return inputs;
}

function fitsWorkgroup(limits: FusionLimits, reductions: readonly Node[]): boolean {
  return workgroupScratchBytes(reductions) <= limits.maxComputeWorkgroupStorageSize;
}

/** The structural half of checkCone (everything but the storage-buffer count). */
export function coneStructure(members: readonly Node[], root: Node, typeOf: (v: ValueId) => TensorType, limits: FusionLimits, relaxed: boolean): ConeStructure {
  const anchors = members.filter(isAnchor);
  if (anchors.length === 0) return { ok: true, kind: 'elementwise' };
  const down = downstreamOf(members, anchors);
  if (anchors.length === 1) {
    const a = anchors[0]!;
    const fusion = opDefErased(a.op).fusion;
    if (fusion === 'window' || fusion === 'gather' || fusion === 'scatter')
      return a.id === root.id ? { ok: true, kind: 'single' } : { ok: false, reason: `${a.op} must produce the kernel output` };
    if (fusion !== 'reduction' && fusion !== 'matmul' && fusion !== 'conv') return { ok: false, reason: `unexpected anchor ${a.op}` };
    const kind = fusion;
    const epilogueOk = members.every((n) => !down.has(n.id) || (opDefErased(n.op).fusion === 'elementwise' && shapesEqual(n.type.shape, a.type.shape)));
    if (epilogueOk) return kind !== 'reduction' || fitsWorkgroup(limits, [a]) ? { ok: true, kind } : { ok: false, reason: `${a.op} kernel exceeds workgroup storage` };
    if (!relaxed || !isRowReduction(a, typeOf)) return { ok: false, reason: `${a.op} epilogue is not elementwise on its result` };
    const rowShape = typeOf(elementAt(a.operands, 0, 'row reduction operands')).shape;
    const problem = rowStructureProblem(members, down, rowShape, root.type, typeOf);
    if (problem !== undefined) return { ok: false, reason: problem };
    return { ok: true, kind: 'row-single', anchor: a };
  }
  if (!anchors.every((a) => isRowReduction(a, typeOf))) return { ok: false, reason: 'several anchors that are not all last-axis reductions' };
  const rowShape = typeOf(elementAt(anchors[0]!.operands, 0, 'row reduction operands')).shape;
  if (!anchors.every((a) => shapesEqual(typeOf(elementAt(a.operands, 0, 'row reduction operands')).shape, rowShape)))
    return { ok: false, reason: 'row reductions over different shapes' };
  const problem = rowStructureProblem(members, down, rowShape, root.type, typeOf);
  if (problem !== undefined) return { ok: false, reason: problem };
  if (!fitsWorkgroup(limits, anchors)) return { ok: false, reason: `${anchors.length} row reductions exceed workgroup storage` };
  return { ok: true, kind: 'row' };
}

/** Combines a cone's structure with its input count into the verdict (the checks checkCone makes first and last). */
export function withInputs(structure: ConeStructure, inputs: number, limits: FusionLimits): ConeVerdict {
  const maxInputs = limits.maxStorageBuffersPerShaderStage - 1;
  if (inputs > maxInputs) return { ok: false, reason: `${inputs} inputs exceed ${maxInputs} storage buffers` };
  if (!structure.ok) return structure;
  if (structure.kind !== 'row-single') return { ok: true, kind: structure.kind, inputs };
  // Reserve one buffer: splitting the reduction off later adds it as an input.
  if (inputs > maxInputs - 1) return { ok: false, reason: 'no storage buffer left to split the row reduction off' };
  if (!fitsWorkgroup(limits, [structure.anchor])) return { ok: false, reason: `${structure.anchor.op} row kernel exceeds workgroup storage` };
  return { ok: true, kind: 'row-single', anchor: structure.anchor, inputs };
}

/**
 * Checks `members` (topologically ordered, no `call`s) rooted at `root`. With `relaxed`, a single
 * row reduction broadcast back over its rows is accepted: fusion may grow it into a full row
 * kernel later, or must split the reduction off (see fuse.ts).
 */
export function checkCone(members: readonly Node[], root: Node, typeOf: (v: ValueId) => TensorType, limits: FusionLimits, relaxed: boolean): ConeVerdict {
  return withInputs(coneStructure(members, root, typeOf, limits, relaxed), coneInputs(members).size, limits);
}
