// The IR graph: flat SSA over typed values. A graph is immutable data; passes build new graphs.
// Fused kernels are graphs of kind 'kernel' held by the top-level graph and invoked by `call`.

import type { Annotations } from './attrs.js';
import type { IrPos, SourceLoc } from './errors.js';
import type { AttrsOf, OpKind } from './ops/index.js';
import type { TensorType } from './shape.js';

export type ValueId = number;

export interface GraphInput {
  readonly id: ValueId;
  readonly name: string;
  readonly type: TensorType;
  /** State inputs (parameters, optimizer slots, RNG counters) persist across runs. */
  readonly state: boolean;
  readonly annotations?: Annotations;
  readonly pos?: IrPos;
}

interface NodeBase<K extends OpKind> {
  /** The value this node defines. */
  readonly id: ValueId;
  readonly op: K;
  readonly operands: readonly ValueId[];
  readonly attrs: AttrsOf<K>;
  readonly type: TensorType;
  /** Optional readable name (printed as %name instead of a number). */
  readonly name?: string;
  readonly annotations?: Annotations;
  /** Where user code traced this node. */
  readonly loc?: SourceLoc;
  /** Where the parser read this node. */
  readonly pos?: IrPos;
}

/** A node of a specific op; `Node` is the union over all ops, so `switch (node.op)` narrows attrs. */
export type NodeOf<K extends OpKind> = NodeBase<K>;
export type Node = { [K in OpKind]: NodeBase<K> }[OpKind];

export interface GraphOutput {
  readonly value: ValueId;
  /** Output name; for a state update it is the name of the state input it replaces. */
  readonly name: string;
  /** True when this output is the new value of the state input called `name`. */
  readonly updatesState: boolean;
}

export interface Graph {
  readonly kind: 'graph' | 'kernel';
  readonly name: string;
  readonly inputs: readonly GraphInput[];
  /** Topologically ordered: every operand is an input or an earlier node. */
  readonly nodes: readonly Node[];
  readonly outputs: readonly GraphOutput[];
  /** Fused kernels called from this graph (empty for kernels themselves). */
  readonly kernels: readonly Graph[];
}

/** Lookup tables over one graph, built once per pass that needs them. */
export class GraphIndex {
  readonly types = new Map<ValueId, TensorType>();
  readonly producers = new Map<ValueId, Node>();
  readonly inputsById = new Map<ValueId, GraphInput>();
  readonly users = new Map<ValueId, Node[]>();
  readonly kernels = new Map<string, Graph>();

  constructor(readonly graph: Graph) {
    for (const inp of graph.inputs) {
      this.types.set(inp.id, inp.type);
      this.inputsById.set(inp.id, inp);
    }
    for (const n of graph.nodes) {
      this.types.set(n.id, n.type);
      this.producers.set(n.id, n);
      for (const o of n.operands) {
        const list = this.users.get(o);
        if (list === undefined) this.users.set(o, [n]);
        else if (!list.includes(n)) list.push(n);
      }
    }
    for (const k of graph.kernels) this.kernels.set(k.name, k);
  }

  typeOf(v: ValueId): TensorType {
    const t = this.types.get(v);
    if (t === undefined) throw new Error(`internal: value ${v} is not defined in @${this.graph.name}`);
    return t;
  }

  usersOf(v: ValueId): readonly Node[] {
    return this.users.get(v) ?? [];
  }

  /** Number of uses by nodes and graph outputs. */
  useCount(v: ValueId): number {
    let n = 0;
    for (const u of this.usersOf(v)) for (const o of u.operands) if (o === v) n++;
    for (const o of this.graph.outputs) if (o.value === v) n++;
    return n;
  }
}

export function maxValueId(g: Graph): number {
  let m = -1;
  for (const i of g.inputs) m = Math.max(m, i.id);
  for (const n of g.nodes) m = Math.max(m, n.id);
  return m;
}

/** A human-readable reference to a value for diagnostics (`%name` or `%<id>`). */
export function valueLabel(g: Graph, v: ValueId): string {
  const inp = g.inputs.find((i) => i.id === v);
  if (inp !== undefined) return `%${inp.name}`;
  const n = g.nodes.find((x) => x.id === v);
  return n?.name !== undefined ? `%${n.name}` : `%#${v}`;
}
