// Graph rewriting helpers shared by the passes: build a new graph node by node with old→new value
// substitution, fresh ids above the input graph's, and a type check whenever a value is replaced.

import {
  KilnError,
  TypeRuleError,
  formatType,
  maxValueId,
  opDef,
  typesEqual,
  type Annotations,
  type AttrsOf,
  type Graph,
  type Node,
  type OpKind,
  type SourceLoc,
  type TensorType,
  type ValueId,
} from '@kiln/ir';
import { IdMap } from './id-map.js';

export interface NodeExtras {
  readonly name?: string;
  readonly loc?: SourceLoc;
  readonly annotations?: Annotations;
}

/** Builds a Node of op K; the discriminated union cannot be constructed generically without this cast. */
export function makeNode<K extends OpKind>(id: ValueId, op: K, operands: readonly ValueId[], attrs: AttrsOf<K>, type: TensorType, extras: NodeExtras = {}): Node {
  const node: Record<string, unknown> = { id, op, operands: [...operands], attrs, type };
  if (extras.name !== undefined) node['name'] = extras.name;
  if (extras.loc !== undefined) node['loc'] = extras.loc;
  if (extras.annotations !== undefined) node['annotations'] = extras.annotations;
  return node as unknown as Node;
}

/** The extras (name, loc, annotations) of a node, to carry over to its replacement. */
export function extrasOf(n: Node): NodeExtras {
  return {
    ...(n.name !== undefined ? { name: n.name } : {}),
    ...(n.loc !== undefined ? { loc: n.loc } : {}),
    ...(n.annotations !== undefined ? { annotations: n.annotations } : {}),
  };
}

/** Result type of `op` from the registry rule; a failure here is a bug in the pass that asked. */
export function inferType<K extends OpKind>(op: K, operandTypes: readonly TensorType[], attrs: AttrsOf<K>, declared?: TensorType): TensorType {
  const infer = opDef(op).infer as (ops: readonly TensorType[], a: AttrsOf<K>, d: TensorType | undefined) => TensorType;
  try {
    return infer(operandTypes, attrs, declared);
  } catch (e) {
    if (e instanceof TypeRuleError)
      throw new KilnError({ op, message: `internal: a pass built an ill-typed node: ${e.message} [operands: ${operandTypes.map(formatType).join(', ')}]` });
    throw e;
  }
}

/**
 * Accumulates the nodes of a rewritten graph. Values of the source graph keep their ids; new
 * nodes get ids above every source id; `replace` redirects later uses of a value.
 */
export class GraphRewriter {
  private readonly nodes: Node[] = [];
  private readonly subst: IdMap<ValueId>;
  private readonly types: IdMap<TensorType>;
  private readonly producers: IdMap<Node>;
  private nextId: number;

  constructor(readonly source: Graph) {
    this.nextId = maxValueId(source) + 1;
    // Room for the source's values; new ones (fresh ids, in order) append.
    const capacity = this.nextId + 64;
    this.subst = new IdMap(capacity);
    this.types = new IdMap(capacity);
    this.producers = new IdMap(capacity);
    for (const i of source.inputs) this.types.set(i.id, i.type);
  }

  /** The current stand-in for a source value. */
  resolve(v: ValueId): ValueId {
    let cur = v;
    for (let next = this.subst.get(cur); next !== undefined; next = this.subst.get(cur)) cur = next;
    return cur;
  }

  typeOf(v: ValueId): TensorType {
    const t = this.types.get(this.resolve(v));
    if (t === undefined) throw new KilnError({ message: `internal: value #${v} used before it is defined in @${this.source.name}` });
    return t;
  }

  /** The node defining a value in the graph being built (undefined for graph inputs). */
  producer(v: ValueId): Node | undefined {
    return this.producers.get(this.resolve(v));
  }

  /** `operands` resolved: the same array when no operand has a stand-in (the common case, no copy). */
  resolveAll(operands: readonly ValueId[]): readonly ValueId[] {
    for (let i = 0; i < operands.length; i++) {
      const o = operands[i]!;
      if (this.subst.has(o)) {
        const out = operands.slice(0, i);
        for (let j = i; j < operands.length; j++) out.push(this.resolve(operands[j]!));
        return out;
      }
    }
    return operands;
  }

  /** Copies a source node with its operands resolved (the node itself when none changed); returns its id. */
  keep(node: Node): ValueId {
    const operands = this.resolveAll(node.operands);
    return this.push(operands === node.operands ? node : { ...node, operands });
  }

  /** Adds a new node whose type comes from the registry (or `type` for annotation-typed ops). */
  emit<K extends OpKind>(op: K, operands: readonly ValueId[], attrs: AttrsOf<K>, type?: TensorType, extras: NodeExtras = {}): ValueId {
    const resolved = operands.map((o) => this.resolve(o));
    const t = inferType(
      op,
      resolved.map((o) => this.typeOf(o)),
      attrs,
      type,
    );
    return this.push(makeNode(this.nextId++, op, resolved, attrs, t, extras));
  }

  /**
   * Redirects every later use of `from` (and the graph outputs) to `to`, which must have the
   * same type. `from` is either a node already added or a source node being dropped.
   */
  replace(from: ValueId | Node, to: ValueId): void {
    const id = typeof from === 'number' ? from : from.id;
    const a = typeof from === 'number' ? this.typeOf(from) : from.type;
    const b = this.typeOf(to);
    if (!typesEqual(a, b)) throw new KilnError({ message: `internal: replacing a ${formatType(a)} value by a ${formatType(b)} value` });
    const target = this.resolve(to);
    if (target !== id) this.subst.set(id, target);
  }

  /** Adds an already-built node whose operands are resolved (ids must be fresh or the source's). */
  add(node: Node): ValueId {
    return this.push(node);
  }

  finish(kernels: readonly Graph[] = this.source.kernels): Graph {
    return {
      ...this.source,
      nodes: [...this.nodes],
      outputs: this.source.outputs.map((o) => ({ ...o, value: this.resolve(o.value) })),
      kernels: [...kernels],
    };
  }

  private push(node: Node): ValueId {
    this.nodes.push(node);
    this.types.set(node.id, node.type);
    this.producers.set(node.id, node);
    return node.id;
  }
}

/** Node position (schedule index) of every node id. */
export function positions(g: Graph): Map<ValueId, number> {
  return new Map(g.nodes.map((n, i) => [n.id, i]));
}
