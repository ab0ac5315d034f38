// GraphBuilder: the one way to construct IR. Every node is type-checked against the registry as it
// is added, so shape errors surface where the op is created, naming op, operands and source line.

import type { Annotations } from './attrs.js';
import { KilnError, TypeRuleError, type SourceLoc } from './errors.js';
import type { Graph, GraphInput, GraphOutput, Node, ValueId } from './graph.js';
import { opDef, type AttrsOf, type OpKind } from './ops/index.js';
import { formatType, typesEqual, type TensorType } from './shape.js';

export interface NodeOptions {
  /** Result type, required for constant/iota/random_bits/call. */
  readonly type?: TensorType;
  readonly name?: string;
  readonly loc?: SourceLoc;
  readonly annotations?: Annotations;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Names usable for inputs, outputs, graphs and kernels: identifiers the lexer reads back as names. */
export function isValidName(name: string): boolean {
  return NAME_RE.test(name) && name !== 'inf' && name !== 'nan';
}

export class GraphBuilder {
  private nextId = 0;
  private readonly inputs: GraphInput[] = [];
  private readonly nodes: Node[] = [];
  private readonly outputs: GraphOutput[] = [];
  private readonly kernels: Graph[] = [];
  private readonly types = new Map<ValueId, TensorType>();

  constructor(
    readonly name: string,
    readonly kind: 'graph' | 'kernel' = 'graph',
  ) {
    if (!isValidName(name)) throw new KilnError({ message: `invalid ${kind} name "@${name}" (use letters, digits, _ and .)` });
  }

  input(name: string, type: TensorType, opts: { state?: boolean; annotations?: Annotations } = {}): ValueId {
    if (!isValidName(name)) throw new KilnError({ message: `invalid input name "${name}"` });
    if (this.inputs.some((i) => i.name === name)) throw new KilnError({ message: `duplicate input name %${name}` });
    const id = this.nextId++;
    const inp: GraphInput = { id, name, type: { dtype: type.dtype, shape: [...type.shape] }, state: opts.state ?? false };
    this.inputs.push(opts.annotations === undefined ? inp : { ...inp, annotations: opts.annotations });
    this.types.set(id, inp.type);
    return id;
  }

  /** Adds a node; its type is inferred from the registry and checked against `opts.type` if given. */
  add<K extends OpKind>(op: K, operands: readonly ValueId[], attrs: AttrsOf<K>, opts: NodeOptions = {}): ValueId {
    const type = this.inferType(op, operands, attrs, opts);
    const id = this.nextId++;
    const node = { id, op, operands: [...operands], attrs, type } as Node & { name?: string; loc?: SourceLoc; annotations?: Annotations };
    if (opts.name !== undefined) node.name = opts.name;
    if (opts.loc !== undefined) node.loc = opts.loc;
    if (opts.annotations !== undefined) node.annotations = opts.annotations;
    this.nodes.push(node);
    this.types.set(id, type);
    return id;
  }

  /** Type of a value defined so far. */
  typeOf(v: ValueId): TensorType {
    const t = this.types.get(v);
    if (t === undefined) throw new KilnError({ message: `value #${v} is not defined in @${this.name}` });
    return t;
  }

  has(v: ValueId): boolean {
    return this.types.has(v);
  }

  output(value: ValueId, name: string, updatesState = false): void {
    this.typeOf(value);
    if (!isValidName(name)) throw new KilnError({ message: `invalid output name "${name}" (use letters, digits, _ and .)` });
    this.outputs.push({ value, name, updatesState });
  }

  addKernel(k: Graph): void {
    if (this.kernels.some((x) => x.name === k.name)) throw new KilnError({ message: `duplicate kernel @${k.name}` });
    this.kernels.push(k);
  }

  build(): Graph {
    return {
      kind: this.kind,
      name: this.name,
      inputs: [...this.inputs],
      nodes: [...this.nodes],
      outputs: [...this.outputs],
      kernels: [...this.kernels],
    };
  }

  private inferType<K extends OpKind>(op: K, operands: readonly ValueId[], attrs: AttrsOf<K>, opts: NodeOptions): TensorType {
    const def = opDef(op);
    const where = { op, ...(opts.loc !== undefined ? { source: opts.loc } : {}) };
    if (def.arity === 'variadic' ? operands.length < 1 && op !== 'call' : operands.length !== def.arity)
      throw new KilnError({ ...where, message: `expects ${def.arity === 'variadic' ? 'at least 1' : def.arity} operand(s), got ${operands.length}` });
    const operandTypes = operands.map((v) => this.typeOf(v));
    let type: TensorType;
    try {
      const infer = def.infer as (ops: readonly TensorType[], a: AttrsOf<K>, d: TensorType | undefined) => TensorType;
      type = infer(operandTypes, attrs, opts.type);
    } catch (e) {
      if (e instanceof TypeRuleError) {
        const args = operandTypes.map(formatType).join(', ');
        throw new KilnError({ ...where, message: `${e.message} [operands: ${args || 'none'}]` });
      }
      throw e;
    }
    if (opts.type !== undefined && !typesEqual(type, opts.type))
      throw new KilnError({ ...where, message: `annotated type ${formatType(opts.type)} does not match inferred ${formatType(type)}` });
    return { dtype: type.dtype, shape: [...type.shape] };
  }
}
