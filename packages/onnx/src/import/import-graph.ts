// ONNX GraphProto -> Kiln IR graph. Walks the nodes in file order (ONNX requires topological
// order, so a use before definition -- a cycle or a missing input -- is an error), looks each op up
// in the lowering table, and folds nodes whose inputs are all known at import time (shape
// arithmetic) by running their lowering on the CPU interpreter. Initializers become state inputs
// (parameters) when used as data, or static values when used as shapes/axes.

import { GraphBuilder, KilnError, type DType, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import { interpret } from '@kiln/ir';
import { DEFAULT_LIMITS, type OnnxLimits } from '../limits.js';
import type { OnnxModel, OnnxNode, OnnxTensorProto } from '../model.js';
import { checkedNumel, kilnDType, tensorNumbers, toKilnTensor, type ExternalReader, type KilnTensor } from '../tensor-data.js';
import { Emitter, type ConstantValues } from './emit.js';
import { NeedsStaticInput, NodeCtx, type OperandSource, type StaticTensor } from './node-ctx.js';
import { OP_RULES, TRAINING_RULES } from './rules.js';
import { NameTable } from './names.js';
import { lowerGradient } from './gradient.js';
import { SEQUENCE_RULES, type SequenceResult, type SequenceRule, type SequenceScope } from './sequences.js';

export interface ImportOptions {
  readonly limits?: OnnxLimits;
  /** Reads external-data files (see nodeExternalReader); without it external data is an error. */
  readonly external?: ExternalReader;
  /** Graph inputs replaced by these constant values (for inputs Kiln needs static: shapes, axes). */
  readonly staticInputs?: Readonly<Record<string, KilnTensor>>;
  /** Concrete shapes for inputs whose ONNX shape has symbolic or unknown dims. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
  /** 'state' (default): initializers are state inputs (parameters); 'constant': constant nodes (a self-contained graph). */
  readonly initializers?: 'state' | 'constant';
  /** Graph name (default: the ONNX graph's name, sanitized, or "onnx"). */
  readonly name?: string;
}

export interface ImportedParam {
  /** Kiln state input name. */
  readonly name: string;
  readonly onnxName: string;
  readonly value: KilnTensor;
  /** True for float initializers (the ones an optimizer may train). */
  readonly float: boolean;
}

export interface ImportedValue {
  readonly name: string;
  readonly onnxName: string;
  readonly type: TensorType;
  /** ONNX element type code (INT64 values run as i32). */
  readonly onnxType: number;
}

export interface ImportedModel {
  readonly graph: Graph;
  readonly inputs: readonly ImportedValue[];
  readonly outputs: readonly ImportedValue[];
  readonly params: readonly ImportedParam[];
  readonly opset: number;
}

const FOLD_LIMIT = 1 << 16;

type Slot =
  | { readonly kind: 'value'; readonly id: ValueId }
  | { readonly kind: 'static'; readonly value: StaticTensor; id?: ValueId }
  | { readonly kind: 'init'; readonly tensor: OnnxTensorProto; value?: StaticTensor; id?: ValueId }
  | { readonly kind: 'sequence'; readonly items: readonly string[] };

/** The default-domain opset; 1 for models that import only ai.onnx.preview.training. */
export function defaultOpset(model: OnnxModel): number {
  const s = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (s !== undefined) return s.version;
  if (model.opsets.some((o) => o.domain === TRAINING_DOMAIN)) return 1;
  throw new KilnError({ message: 'unsupported: the model imports no default-domain opset (only ai.onnx and ai.onnx.preview.training ops are imported)' });
}

const TRAINING_DOMAIN = 'ai.onnx.preview.training';

export function importModel(model: OnnxModel, opts: ImportOptions = {}): ImportedModel {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const opset = defaultOpset(model);
  const g = model.graph;
  if (g.sparseInitializers > 0) throw new KilnError({ message: 'unsupported: sparse initializers' });
  const names = new NameTable();
  const b = new GraphBuilder(opts.name ?? names.graphName(g.name));
  const slots = new Map<string, Slot>();
  const graphInputs = new Map<string, string>();
  const params: ImportedParam[] = [];
  const inputs: ImportedValue[] = [];
  let totalBytes = 0;
  const constants: ConstantValues = new Map();

  for (const t of g.initializers) {
    const n = checkedNumel(t.dims, `initializer "${t.name}"`, limits);
    totalBytes += n * 4;
    if (totalBytes > limits.maxTotalBytes) throw new KilnError({ message: `initializers exceed ${limits.maxTotalBytes} bytes in total (the limit)` });
    slots.set(t.name, { kind: 'init', tensor: t });
  }
  for (const inp of g.inputs) {
    if (slots.has(inp.name)) continue; // an initializer listed as input too (IR < 4): its default value
    const what = `graph input "${inp.name}"`;
    const fixed = opts.staticInputs?.[inp.name];
    if (fixed !== undefined) {
      slots.set(inp.name, { kind: 'static', value: { dims: fixed.type.shape, values: Array.from(fixed.data), dtype: fixed.type.dtype } });
      continue;
    }
    if (inp.kind !== 'tensor' || inp.elemType === undefined) throw new KilnError({ message: `${what}: unsupported input kind ${inp.kind} (Kiln imports tensors)` });
    const dtype = kilnDType(inp.elemType, what);
    const given = opts.inputShapes?.[inp.name];
    const shape = given ?? (inp.shape ?? []).map((d) => {
      if ('value' in d) return d.value;
      throw new KilnError({ message: `${what} has a symbolic dimension ${'param' in d ? `"${d.param}"` : '?'}; give a concrete shape (inputShapes)` });
    });
    if (inp.shape === undefined && given === undefined) throw new KilnError({ message: `${what} has no shape; give a concrete shape (inputShapes)` });
    checkedNumel(shape, what, limits);
    const name = names.value(inp.name);
    const id = b.input(name, { dtype, shape });
    slots.set(inp.name, { kind: 'value', id });
    graphInputs.set(inp.name, inp.name);
    inputs.push({ name, onnxName: inp.name, type: { dtype, shape }, onnxType: inp.elemType });
  }

  const staticOf = (slot: Slot, name: string): StaticTensor | undefined => {
    if (slot.kind === 'static') return slot.value;
    if (slot.kind === 'init') {
      slot.value ??= { dims: slot.tensor.dims, values: tensorNumbers(slot.tensor, `initializer "${name}"`, { limits, ...(opts.external !== undefined ? { external: opts.external } : {}) }), dtype: kilnDType(slot.tensor.dataType, `initializer "${name}"`) };
      return slot.value;
    }
    return undefined;
  };
  const valueOf = (name: string, where: string): ValueId => {
    const slot = slots.get(name);
    if (slot === undefined) throw new KilnError({ op: where, message: `input "${name}" is not defined before use (a missing input, or the graph is cyclic or not topologically sorted)` });
    if (slot.kind === 'value') return slot.id;
    if (slot.kind === 'sequence') throw new KilnError({ op: where, message: `"${name}" is a sequence, used where a tensor is expected` });
    if (slot.id !== undefined) return slot.id;
    if (slot.kind === 'static') {
      slot.id = b.add('constant', [], { value: [...slot.value.values] }, { type: { dtype: slot.value.dtype, shape: [...slot.value.dims] } });
      return slot.id;
    }
    const value = toKilnTensor(slot.tensor, `initializer "${name}"`, { limits, ...(opts.external !== undefined ? { external: opts.external } : {}) });
    if (opts.initializers === 'constant') {
      slot.id = b.add('constant', [], { value: Array.from(value.data) }, { type: value.type });
      return slot.id;
    }
    const pname = names.value(name);
    slot.id = b.input(pname, value.type, { state: true });
    params.push({ name: pname, onnxName: name, value, float: value.type.dtype === 'f32' });
    return slot.id;
  };

  const sequenceScope: SequenceScope = {
    items: (c, i) => {
      const name = c.node.inputs[i] ?? '';
      const slot = slots.get(name);
      if (slot?.kind !== 'sequence') throw c.error(`input #${i} "${name}" is not a sequence`);
      return slot.items;
    },
    typeOf: (name, where) => {
      const slot = slots.get(name);
      if (slot?.kind === 'static') return { dtype: slot.value.dtype, shape: [...slot.value.dims] };
      if (slot?.kind === 'init') return { dtype: kilnDType(slot.tensor.dataType, `initializer "${name}"`), shape: [...slot.tensor.dims] };
      return b.typeOf(valueOf(name, where));
    },
    value: valueOf,
    bindItem: (out, i, id) => {
      const name = `\u0000${out}#${i}`; // no ONNX name has a NUL: the items of a split never collide with the model's names
      slots.set(name, valueSlot(id));
      return name;
    },
  };

  for (const out of g.outputs)
    if (out.kind !== 'tensor' && out.kind !== 'none') throw new KilnError({ message: `graph output "${out.name}": unsupported output kind ${out.kind} (Kiln exports tensors)` });
  for (const node of g.nodes) lowerNode(node);

  function lowerNode(node: OnnxNode): void {
    const where = `${node.opType}${node.name !== '' ? ` "${node.name}"` : ''}`;
    const training = node.domain === TRAINING_DOMAIN;
    if (node.domain !== '' && node.domain !== 'ai.onnx' && !training) throw new KilnError({ op: where, message: `unsupported: op domain "${node.domain}"` });
    if (node.opType === 'If') {
      lowerIf(node, where);
      return;
    }
    const sequenceRule = training ? undefined : SEQUENCE_RULES[node.opType];
    if (sequenceRule !== undefined) {
      lowerSequence(node, where, sequenceRule);
      return;
    }
    if (training && node.opType === 'Gradient') {
      // Needs the forward graph (xs, zs, y by name), so it is never folded.
      bindOutputs(node, where, lowerGradient(b, node, where, valueOf), (id) => ({ kind: 'value', id }));
      return;
    }
    const rule = training ? TRAINING_RULES[node.opType] : OP_RULES[node.opType];
    if (rule === undefined && training) throw new KilnError({ op: where, message: `unsupported op ${node.opType} of ${TRAINING_DOMAIN}` });
    if (rule === undefined) throw new KilnError({ op: where, message: `unsupported op ${node.opType} (opset ${opset})` });
    for (const a of node.attributes) if (!rule.attrs.includes(a.name)) throw new KilnError({ op: where, message: `unsupported attribute ${a.name} of ${node.opType} (opset ${opset})` });
    for (const [i, n] of node.inputs.entries()) if (n !== '' && !slots.has(n)) valueOf(n, `${where} input #${i}`);
    const inSlots = node.inputs.map((n) => (n === '' ? undefined : slots.get(n)));
    const statics = inSlots.map((s, i) => (s === undefined ? undefined : staticOf(s, node.inputs[i] ?? '')));
    // Float initializers are parameters: nodes reading them are never folded away, so they stay trainable.
    const foldable = inSlots.length > 0 && inSlots.every((s, i) => s === undefined || (statics[i] !== undefined && !(s.kind === 'init' && s.tensor.dataType === 1)));
    const size = statics.reduce((acc, s) => acc + (s?.values.length ?? 0), 0);
    if (foldable && size <= FOLD_LIMIT && node.opType !== 'RandomNormal') {
      fold(node, where, statics);
      return;
    }
    const outs = rule.lower(new NodeCtx(new Emitter(b, where, constants), node, opset, sourceOf(node, where)));
    bindOutputs(node, where, outs, valueSlot);
  }

  // Outputs that are constants (Shape, Size, ConstantOfShape...) stay static for later shape inputs.
  function valueSlot(id: ValueId): Slot {
    const k = constants.get(id);
    return k === undefined ? { kind: 'value', id } : { kind: 'static', value: k, id };
  }

  function sequenceSlot(r: SequenceResult, where: string): Slot {
    switch (r.kind) {
      case 'sequence':
        return { kind: 'sequence', items: r.items };
      case 'length':
        return { kind: 'static', value: { dims: [], values: [r.length], dtype: 'i32' } };
      case 'value':
        return valueSlot(r.id);
      case 'alias': {
        const item = slots.get(r.name);
        if (item === undefined) throw new KilnError({ op: where, message: `internal: sequence item "${r.name}" has no value` });
        return item;
      }
      default: {
        const never: never = r;
        throw new KilnError({ op: where, message: `internal: unknown sequence result ${JSON.stringify(never)}` });
      }
    }
  }

  function sourceOf(node: OnnxNode, where: string): OperandSource {
    return {
      value: (i) => { const n = node.inputs[i]; return n === undefined || n === '' ? undefined : valueOf(n, where); },
      static: (i) => { const n = node.inputs[i] ?? ''; const s = slots.get(n); return s === undefined ? undefined : staticOf(s, n); },
      graphInput: (i) => graphInputs.get(node.inputs[i] ?? ''),
    };
  }

  // Sequence ops resolve at import time (sequences.ts): the output is bound to a list of item names,
  // to an existing item (SequenceAt), to a static length, or to a value.
  function lowerSequence(node: OnnxNode, where: string, rule: SequenceRule): void {
    for (const a of node.attributes) if (!rule.attrs.includes(a.name)) throw new KilnError({ op: where, message: `unsupported attribute ${a.name} of ${node.opType} (opset ${opset})` });
    const r = rule.lower(new NodeCtx(new Emitter(b, where, constants), node, opset, sourceOf(node, where)), sequenceScope);
    const out = node.outputs[0] ?? '';
    if (out === '') return;
    if (slots.has(out)) throw new KilnError({ op: where, message: `output "${out}" is defined twice (ONNX graphs are SSA)` });
    slots.set(out, sequenceSlot(r, where));
  }

  // If with a condition known at import time: the taken branch's nodes are lowered in place.
  function lowerIf(node: OnnxNode, where: string): void {
    const condName = node.inputs[0] ?? '';
    const slot = slots.get(condName);
    if (slot === undefined) valueOf(condName, where);
    const cs = slots.get(condName);
    const cond = cs === undefined ? undefined : staticOf(cs, condName);
    if (cond === undefined) {
      if (graphInputs.has(condName)) throw new NeedsStaticInput(condName, where);
      throw new KilnError({ op: where, message: 'unsupported: If whose condition is computed at run time (Kiln graphs have no control flow)' });
    }
    const branch = node.attributes.find((a) => a.name === ((cond.values[0] ?? 0) !== 0 ? 'then_branch' : 'else_branch'))?.value;
    if (branch === undefined || branch.kind !== 'graph') throw new KilnError({ op: where, message: 'If without its branch graphs' });
    if (branch.value.initializers.length > 0) throw new KilnError({ op: where, message: 'unsupported: initializers inside an If branch' });
    for (const n of branch.value.nodes) lowerNode(n);
    node.outputs.forEach((name, i) => {
      const src = branch.value.outputs[i]?.name;
      const s2 = src === undefined ? undefined : slots.get(src);
      if (s2 === undefined) throw new KilnError({ op: where, message: `branch output #${i} is not defined` });
      if (name !== '') slots.set(name, s2);
    });
  }

  function bindOutputs(node: OnnxNode, where: string, outs: readonly (ValueId | undefined)[], mk: (id: ValueId, i: number) => Slot): void {
    node.outputs.forEach((name, i) => {
      if (name === '') return;
      const id = outs[i];
      if (id === undefined) throw new KilnError({ op: where, message: `unsupported: output #${i} "${name}"` });
      if (slots.has(name)) throw new KilnError({ op: where, message: `output "${name}" is defined twice (ONNX graphs are SSA)` });
      slots.set(name, mk(id, i));
    });
  }

  // Runs the node's lowering on constant operands in a scratch graph and keeps the results static.
  function fold(node: OnnxNode, where: string, statics: readonly (StaticTensor | undefined)[]): void {
    const sb = new GraphBuilder('fold');
    const ids = statics.map((s) => (s === undefined ? undefined : sb.add('constant', [], { value: [...s.values] }, { type: { dtype: s.dtype, shape: [...s.dims] } })));
    const src: OperandSource = { value: (i) => ids[i], static: (i) => statics[i], graphInput: () => undefined };
    const outs = (node.domain === TRAINING_DOMAIN ? TRAINING_RULES : OP_RULES)[node.opType]?.lower(new NodeCtx(new Emitter(sb, where), node, opset, src)) ?? [];
    const outNames: string[] = [];
    outs.forEach((id, i) => {
      if (id === undefined) return;
      sb.output(id, `o${i}`);
      outNames.push(`o${i}`);
    });
    const results = interpret(sb.build(), {});
    const values = outs.map((id, i) => {
      if (id === undefined) return undefined;
      const r = results[`o${i}`];
      if (r === undefined) throw new KilnError({ op: where, message: `internal: folded output #${i} missing` });
      return { dims: [...r.type.shape], values: Array.from(r.data), dtype: r.type.dtype };
    });
    node.outputs.forEach((name, i) => {
      if (name === '') return;
      const v = values[i];
      if (v === undefined) throw new KilnError({ op: where, message: `unsupported: output #${i} "${name}"` });
      if (slots.has(name)) throw new KilnError({ op: where, message: `output "${name}" is defined twice (ONNX graphs are SSA)` });
      slots.set(name, { kind: 'static', value: v });
    });
  }

  const outputs: ImportedValue[] = [];
  for (const out of g.outputs) {
    if (out.kind !== 'tensor' && out.kind !== 'none') throw new KilnError({ message: `graph output "${out.name}": unsupported output kind ${out.kind} (Kiln exports tensors)` });
    const id = valueOf(out.name, `graph output "${out.name}"`);
    const name = names.output(out.name);
    const type = b.typeOf(id);
    b.output(id, name);
    outputs.push({ name, onnxName: out.name, type, onnxType: out.elemType ?? onnxTypeOf(type.dtype) });
  }
  return { graph: b.build(), inputs, outputs, params, opset };
}

function onnxTypeOf(d: DType): number {
  return d === 'f32' ? 1 : d === 'i32' ? 6 : d === 'u32' ? 12 : 9;
}

