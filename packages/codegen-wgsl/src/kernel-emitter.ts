// Per-kernel emission state: turns every value of a kernel body into a WGSL function
// `fn v<id>_<name>(i: u32) -> T` (its value at flat index i) on demand, so layout ops fold into
// loads. Tracks which kernel inputs are read, the constant pool, and template-provided anchors.

import { GraphIndex, KilnError, valueNames, type Graph, type Node, type OpKind, type TensorType, type ValueId } from '@kiln/ir';
import type { ValueEmitter, WgslRule } from './rules/rule.js';
import { wgslRules } from './wgsl-rules.js';
import { fromStorage, valueType } from './wgsl-types.js';

export const OUTPUT_BUFFER = 'out';
export const CONSTANT_POOL = 'kconst';

export function inputBuffer(k: number): string {
  return `in${k}`;
}

/**
 * How the runtime lays a kernel's inputs over its output buffer. `readWrite`: inputs bound to
 * other bytes of the output's buffer (the memory plan's arena), declared read_write because
 * WebGPU forbids read-only and writable bindings of one buffer in a dispatch. `fromOutput`:
 * inputs occupying exactly the output's bytes (in-place state updates).
 */
export interface KernelAliasing {
  readonly readWrite: ReadonlySet<number>;
  readonly fromOutput: ReadonlySet<number>;
}

export const NO_ALIASING: KernelAliasing = { readWrite: new Set(), fromOutput: new Set() };

export class KernelEmitter implements ValueEmitter {
  readonly index: GraphIndex;
  readonly constantPool = CONSTANT_POOL;
  /** Input index → true when the template reads it as array<vec4<f32>>. */
  readonly vec4Inputs = new Set<number>();
  readonly usedInputs = new Set<number>();
  readonly constantWords: number[] = [];
  private readonly names: Map<ValueId, string>;
  private readonly fnNames = new Map<ValueId, string>();
  private readonly fns: string[] = [];
  private readonly anchors = new Map<ValueId, string>();
  private readonly inputIndex = new Map<ValueId, number>();
  private readonly visiting = new Set<ValueId>();

  /**
   * `aliasing.fromOutput`: inputs the runtime places in the output's own bytes (a state updated in
   * place); they are read from the output binding at the element's own index, never bound.
   */
  /** Set by templates that emitted subgroup operations (assemble enables the extension). */
  usesSubgroups = false;

  constructor(
    readonly kernel: Graph,
    readonly aliasing: KernelAliasing = NO_ALIASING,
    /** The device has the 'subgroups' feature: reductions may use subgroup operations. */
    readonly subgroups = false,
  ) {
    this.index = new GraphIndex(kernel);
    this.names = valueNames(kernel);
    kernel.inputs.forEach((inp, k) => this.inputIndex.set(inp.id, k));
  }

  typeOf(v: ValueId): TensorType {
    return this.index.typeOf(v);
  }

  producerOf(v: ValueId): Node | undefined {
    return this.index.producers.get(v);
  }

  usersOf(v: ValueId): readonly Node[] {
    return this.index.users.get(v) ?? [];
  }

  /** `%name` of a value, for provenance and diagnostics. */
  label(v: ValueId): string {
    return `%${this.names.get(v) ?? `#${v}`}`;
  }

  /** The kernel input number of `v`, if it is an input. */
  inputNumber(v: ValueId): number | undefined {
    return this.inputIndex.get(v);
  }

  /** Makes the anchor `v` read the template's private variable `name` at any index. */
  bindAnchor(v: ValueId, name: string): void {
    this.anchors.set(v, name);
  }

  value(v: ValueId, idx: string): string {
    return `${this.fnFor(v)}(${idx})`;
  }

  poolConstant(words: readonly number[]): number {
    const off = this.constantWords.length;
    this.constantWords.push(...words);
    return off;
  }

  /** Raw buffer access for kernel input k (marks it used). */
  inputLoad(k: number, idx: string): string {
    if (this.aliasing.fromOutput.has(k)) {
      if (this.vec4Inputs.has(k)) throw new Error(`internal: input ${k} aliases the output and cannot be read as vec4`);
      return `${OUTPUT_BUFFER}[${idx}]`;
    }
    this.usedInputs.add(k);
    const buf = inputBuffer(k);
    return this.vec4Inputs.has(k) ? `${buf}[(${idx}) >> 2u][(${idx}) & 3u]` : `${buf}[${idx}]`;
  }

  /** vec4 element `vecIdx` of kernel input k, which must be in vec4Inputs (marks it used). */
  inputVec4(k: number, vecIdx: string): string {
    if (!this.vec4Inputs.has(k)) throw new Error(`internal: input ${k} is not declared as vec4`);
    this.usedInputs.add(k);
    return `${inputBuffer(k)}[${vecIdx}]`;
  }

  /** Name of the function computing `v`, emitting it (and what it reads) on first use. */
  fnFor(v: ValueId): string {
    const known = this.fnNames.get(v);
    if (known !== undefined) return known;
    if (this.visiting.has(v)) throw new Error(`internal: cycle through ${this.label(v)}`);
    this.visiting.add(v);
    // Names carry only the id (the IR name goes in a comment), so kernels that differ only in
    // value names produce identical code and share a pipeline.
    const name = `v${v}`;
    const type = this.typeOf(v);
    const body = this.bodyOf(v, type);
    const producer = this.index.producers.get(v);
    const what = producer !== undefined ? `${producer.op} ${producer.operands.map((o) => this.label(o)).join(', ')}` : 'kernel input';
    this.fns.push(`// ${this.label(v)} = ${what}\nfn ${name}(i: u32) -> ${valueType(type.dtype)} {\n${body}\n}`);
    this.fnNames.set(v, name);
    this.visiting.delete(v);
    return name;
  }

  /** All value functions emitted so far. */
  functions(): string {
    return this.fns.join('\n');
  }

  private bodyOf(v: ValueId, type: TensorType): string {
    const k = this.inputIndex.get(v);
    if (k !== undefined) return `  return ${fromStorage(type.dtype, this.inputLoad(k, 'i'))};`;
    const anchor = this.anchors.get(v);
    if (anchor !== undefined) return `  return ${anchor};`;
    const node = this.index.producers.get(v);
    if (node === undefined) throw new Error(`internal: value ${v} is not defined in @${this.kernel.name}`);
    return this.nodeBody(node);
  }

  private nodeBody(node: Node): string {
    const rule = wgslRules[node.op] as WgslRule<OpKind>;
    switch (rule.kind) {
      case 'elementwise': {
        const args = node.operands.map((o) => this.value(o, 'i'));
        return `  return ${rule.expr(node, args, this)};`;
      }
      case 'layout':
      case 'source':
        return rule.body(node, this);
      case 'anchor':
        throw this.error(node, `${node.op} is used where its template cannot provide it (an anchor's result may only flow to the output through elementwise ops and reshapes)`);
      case 'invalid':
        throw this.error(node, rule.reason);
      default: {
        const never: never = rule;
        return never;
      }
    }
  }

  error(node: Node, message: string): KilnError {
    return new KilnError({
      op: node.op,
      message: `kernel @${this.kernel.name}: ${message}`,
      value: this.label(node.id),
      ...(node.pos !== undefined ? { pos: node.pos } : {}),
      ...(node.loc !== undefined ? { source: node.loc } : {}),
    });
  }
}
