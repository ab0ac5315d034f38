// Turns fusion decisions into the fused form (docs/ir.md, kernels and calls): each materialized
// value becomes a `call` of a `kernel @fused_…` whose body is its cone. Structurally identical
// kernels are shared.

import { KilnError, classifyKernel, opDefErased, type Graph, type GraphInput, type Node, type TensorType, type ValueId } from '@kiln/ir';
import { makeNode } from '../rewrite.js';
import { coneKey, coneOperands } from './kernel-key.js';

/** Op kinds that name a kernel: the computing ones (layout and source ops are index arithmetic). */
const NAMING_FUSION = new Set(['elementwise', 'reduction', 'matmul', 'conv', 'window', 'gather', 'scatter']);
const MAX_NAME_OPS = 6;

export function kernelBaseName(members: readonly Node[]): string {
  const computing = members.filter((n) => NAMING_FUSION.has(opDefErased(n.op).fusion)).map((n) => n.op);
  const ops = computing.length > 0 ? computing : members.map((n) => n.op);
  const shown = ops.length > MAX_NAME_OPS ? [...ops.slice(0, MAX_NAME_OPS), 'etc'] : ops;
  return `fused_${shown.join('_')}`;
}

export interface BuiltKernel {
  readonly kernel: Graph;
  /** The graph values passed to the kernel, in its input order. */
  readonly operands: readonly ValueId[];
}

/** The kernel computing `root` from `members` (topologically ordered, root last or anywhere). */
export function buildKernel(members: readonly Node[], root: Node, typeOf: (v: ValueId) => TensorType, name: string, operands: readonly ValueId[] = coneOperands(members)): BuiltKernel {
  const ids = new Map<ValueId, ValueId>();
  const inputs: GraphInput[] = operands.map((v, k) => {
    ids.set(v, k);
    return { id: k, name: `in${k}`, type: typeOf(v), state: false };
  });
  let next = operands.length;
  for (const n of members) ids.set(n.id, next++);
  const nodes = members.map((n) =>
    makeNode(
      ids.get(n.id)!,
      n.op,
      n.operands.map((o) => ids.get(o)!),
      n.attrs,
      n.type,
      {
        ...(n.name !== undefined ? { name: n.name } : {}),
        ...(n.loc !== undefined ? { loc: n.loc } : {}),
      },
    ),
  );
  const kernel: Graph = { kind: 'kernel', name, inputs, nodes, outputs: [{ value: ids.get(root.id)!, name: 'out', updatesState: false }], kernels: [] };
  return { kernel, operands };
}

/** Hands out kernel names and shares kernels whose bodies are identical up to value names. */
export class KernelTable {
  private readonly byKey = new Map<string, string>();
  private readonly taken = new Set<string>();
  readonly kernels: Graph[] = [];

  constructor(existing: readonly Graph[]) {
    for (const k of existing) this.taken.add(k.name);
  }

  /**
   * The kernel name a call computing `root` from `members` should use: a kernel already built
   * for a structurally identical cone, else a new one (built, checked and named only then).
   */
  internCone(members: readonly Node[], root: Node, operands: readonly ValueId[], typeOf: (v: ValueId) => TensorType): string {
    const key = coneKey(members, root, operands, typeOf);
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const base = kernelBaseName(members);
    let name = base;
    for (let i = 2; this.taken.has(name); i++) name = `${base}_${i}`;
    // Classified under its final name, as the object codegen will see: ir keeps the result.
    const { kernel } = buildKernel(members, root, typeOf, name, operands);
    const check = classifyKernel(kernel);
    if (!check.ok) throw new KilnError({ message: `internal: fusion built an unclassifiable kernel: ${check.reason}` });
    this.taken.add(name);
    this.byKey.set(key, name);
    this.kernels.push(kernel);
    return name;
  }
}

/** The `call` node that replaces `root` in the top-level graph. */
export function callNode(root: Node, callee: string, operands: readonly ValueId[]): Node {
  return makeNode(root.id, 'call', operands, { callee }, root.type, {
    ...(root.name !== undefined ? { name: root.name } : {}),
    ...(root.loc !== undefined ? { loc: root.loc } : {}),
    ...(root.annotations !== undefined ? { annotations: root.annotations } : {}),
  });
}

/**
 * Builds the fused graph: every node in `roots` becomes a call of the kernel for its cone
 * (`call` nodes already in the graph stay as they are); all other nodes are absorbed.
 */
export function emitFusedGraph(
  g: Graph,
  roots: { has(v: ValueId): boolean },
  coneOf: (root: Node) => readonly Node[],
  typeOf: (v: ValueId) => TensorType,
): { graph: Graph; newKernels: number } {
  const table = new KernelTable(g.kernels);
  const nodes: Node[] = [];
  for (const n of g.nodes) {
    if (!roots.has(n.id)) continue;
    if (n.op === 'call') {
      nodes.push(n);
      continue;
    }
    const members = coneOf(n);
    const operands = coneOperands(members);
    nodes.push(callNode(n, table.internCone(members, n, operands, typeOf), operands));
  }
  return { graph: { ...g, nodes, kernels: [...g.kernels, ...table.kernels] }, newKernels: table.kernels.length };
}
