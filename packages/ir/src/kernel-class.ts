// Kernel classification: the contract between the fusion pass (which builds `kernel @k` bodies)
// and WGSL codegen (which picks a template per class). A body that fits no class is rejected here.
// Each kernel is classified once: graphs are immutable, so the result is kept per kernel object
// and fusion's check, codegen, the tuner's signature and the DOT view all share it.

import type { Graph, Node, ValueId } from './graph.js';
import { OP_KINDS, opDefErased } from './ops/index.js';
import { KilnError } from './errors.js';
import { elementAt, mapGet } from './invariant.js';

export type KernelClass =
  /** Only elementwise/layout/source ops: one invocation per output element. */
  | { readonly kind: 'elementwise' }
  /** One reduction (reduce_sum, reduce_max, reduce_min, argmax, argmin) anchor with an elementwise prologue (on its operand) and epilogue (on its result). */
  | { readonly kind: 'reduction'; readonly anchor: Node }
  /**
   * Reductions over the last axis of same-shape rows, with results broadcast back along the row
   * (softmax, layer_norm, x - max(x)): one workgroup per row.
   */
  | { readonly kind: 'row'; readonly rowLength: number; readonly reductions: readonly Node[] }
  /** One matmul with prologue expressions on its operands and an elementwise epilogue. */
  | { readonly kind: 'matmul'; readonly anchor: Node }
  /** One conv with prologue expressions on its operands and an elementwise epilogue. */
  | { readonly kind: 'conv'; readonly anchor: Node }
  /** One window/gather/scatter anchor producing the kernel's output (prologue allowed, no epilogue). */
  | { readonly kind: 'single'; readonly anchor: Node };

export type KernelClassResult = { readonly ok: true; readonly cls: KernelClass } | { readonly ok: false; readonly reason: string };

/**
 * The most invocations a reduction or row workgroup has: codegen never emits a wider one, so
 * fusion sizes a kernel's workgroup scratch by it before codegen picks the actual width.
 */
export const MAX_REDUCTION_LANES = 256;

/**
 * Workgroup scratch per invocation of a kernel that tree-combines `reductions` in workgroup
 * memory (the reduction and row templates): one 4-byte slot per reduce_sum/max/min (f32 or i32),
 * a value and an index per argmax/argmin. Nothing else of a kernel lives in workgroup memory
 * except GEMM tiles, whose schedules codegen checks against the limits itself.
 */
export function scratchBytesPerLane(reductions: readonly Node[]): number {
  let bytes = 0;
  for (const r of reductions) bytes += r.op === 'argmax' || r.op === 'argmin' ? 8 : 4;
  return bytes;
}

const ANCHOR_FUSION = new Set(['reduction', 'matmul', 'conv', 'window', 'gather', 'scatter']);
/** The anchor ops, read from the registry once: fusion asks isAnchor several times per node. */
const ANCHOR_OPS: ReadonlySet<string> = new Set(OP_KINDS.filter((op) => ANCHOR_FUSION.has(opDefErased(op).fusion)));

export function isAnchor(n: Node): boolean {
  return ANCHOR_OPS.has(n.op);
}

const classified = new WeakMap<Graph, KernelClassResult>();

export function classifyKernel(k: Graph): KernelClassResult {
  let result = classified.get(k);
  if (result === undefined) {
    result = classifyBody(k);
    classified.set(k, result);
  }
  return result;
}

function classifyBody(k: Graph): KernelClassResult {
  if (k.outputs.length !== 1) return { ok: false, reason: `kernel @${k.name} must have exactly one output, has ${k.outputs.length}` };
  const calls = k.nodes.filter((n) => n.op === 'call');
  if (calls.length > 0) return { ok: false, reason: `kernel @${k.name} must not call other kernels` };
  const anchors = k.nodes.filter(isAnchor);
  if (anchors.length === 0) return { ok: true, cls: { kind: 'elementwise' } };
  const outId = k.outputs[0]?.value;
  const outNode = k.nodes.find((n) => n.id === outId);
  if (anchors.length === 1) {
    const anchor = anchors[0]!;
    if (!reaches(k, anchor.id, outId)) return { ok: false, reason: `kernel @${k.name}: ${anchor.op} does not contribute to the output` };
    // Epilogues are elementwise over the anchor's result: the output has the anchor's shape.
    const sameShape = outNode !== undefined && outNode.type.shape.join() === anchor.type.shape.join();
    const fusion = opDefErased(anchor.op).fusion;
    switch (fusion) {
      case 'reduction':
        if (sameShape) return { ok: true, cls: { kind: 'reduction', anchor } };
        return classifyRow(k, anchors);
      case 'matmul':
      case 'conv':
        if (!sameShape) return { ok: false, reason: `kernel @${k.name}: the epilogue of ${anchor.op} must keep its result shape` };
        return { ok: true, cls: fusion === 'matmul' ? { kind: 'matmul', anchor } : { kind: 'conv', anchor } };
      case 'window':
      case 'gather':
      case 'scatter':
        if (anchor.id !== outId) return { ok: false, reason: `kernel @${k.name}: ${anchor.op} must produce the kernel output (no epilogue)` };
        return { ok: true, cls: { kind: 'single', anchor } };
      default:
        return { ok: false, reason: `kernel @${k.name}: unexpected anchor ${anchor.op}` };
    }
  }
  return classifyRow(k, anchors);
}

/** True when `to` depends on `from` (or is it). */
function reaches(k: Graph, from: ValueId, to: ValueId | undefined): boolean {
  const live = new Set<ValueId>([from]);
  for (const n of k.nodes) if (n.operands.some((o) => live.has(o))) live.add(n.id);
  return to !== undefined && live.has(to);
}

function classifyRow(k: Graph, anchors: readonly Node[]): KernelClassResult {
  let rowShape: readonly number[] | undefined;
  const types = new Map<ValueId, readonly number[]>();
  for (const i of k.inputs) types.set(i.id, i.type.shape);
  for (const n of k.nodes) types.set(n.id, n.type.shape);
  for (const a of anchors) {
    if (a.op !== 'reduce_sum' && a.op !== 'reduce_max' && a.op !== 'reduce_min')
      return { ok: false, reason: `kernel @${k.name}: ${anchors.length} anchors, but ${a.op} is not a row reduction` };
    const shape = mapGet(types, elementAt(a.operands, 0, `${a.op} operands`), `kernel @${k.name} value shapes`);
    const r = shape.length;
    if (r === 0 || a.attrs.axes.length !== 1 || a.attrs.axes[0] !== r - 1)
      return { ok: false, reason: `kernel @${k.name}: row kernels reduce only the last axis (got ${a.op} axes=[${a.attrs.axes.join(',')}])` };
    if (rowShape === undefined) rowShape = shape;
    else if (rowShape.join() !== shape.join()) return { ok: false, reason: `kernel @${k.name}: row reductions over different shapes [${rowShape.join(',')}] and [${shape.join(',')}]` };
  }
  // Non-empty anchors of rank >= 1 were required above, so rowShape is set and has a last dim.
  if (rowShape === undefined) throw new KilnError({ message: `internal: kernel @${k.name}: row class without a row reduction` });
  const rowLength = elementAt(rowShape, rowShape.length - 1, 'row reduction shape');
  return { ok: true, cls: { kind: 'row', rowLength, reductions: anchors } };
}
