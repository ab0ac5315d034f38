// ONNX GraphProto -> Kiln IR graph. Walks the nodes in file order (ONNX requires topological
// order, so a use before definition -- a cycle or a missing input -- is an error), looks each op up
// in the lowering table, and folds nodes whose inputs are all known at import time (shape
// arithmetic) by running their lowering on the CPU interpreter. Initializers become state inputs
// (parameters) when used as data, or static values when used as shapes/axes. Sequences, If, Loop
// and SequenceMap are resolved at import time (sequence-scope.ts, control-flow.ts).

import { GraphBuilder, KilnError, type DType, type ValueId } from '@kiln/ir';
import { DEFAULT_LIMITS } from '../limits.js';
import type { OnnxModel, OnnxNode, OnnxValueInfo } from '../model.js';
import { checkedNumel, kilnDType, tensorNumbers, toKilnTensor } from '../tensor-data.js';
import { Emitter, type ConstantValues } from './emit.js';
import { NodeCtx, type OperandSource, type StaticTensor } from './node-ctx.js';
import { OP_RULES, TRAINING_RULES } from './rules.js';
import { NameTable } from './names.js';
import { lowerGradient } from './gradient.js';
import { SEQUENCE_RULES, itemKey } from './sequences.js';
import { lowerSequence } from './sequence-scope.js';
import { lowerIf, lowerLoop, lowerScan, lowerSequenceMap } from './control-flow.js';
import { lowerOptional } from './optionals.js';
import { foldNode } from './fold.js';
import type { ImportScope, Slot } from './scope.js';
import type { ImportOptions, ImportedModel, ImportedParam, ImportedValue } from './api-types.js';

export type { ImportOptions, OptionalBinding, ImportedParam, ImportedValue, ImportedModel } from './api-types.js';

const FOLD_LIMIT = 1 << 16;

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
  let inlined = 0;
  // ONNX nodes lowered, unrolled copies included: nested loops multiply, so the budget is global.
  let lowered = 0;

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
    if (inp.kind === 'sequence') {
      slots.set(inp.name, { kind: 'sequence', items: sequenceInput(inp, what, opts.sequenceInputs?.[inp.name]) });
      continue;
    }
    if (inp.kind === 'optional') {
      slots.set(inp.name, optionalInput(inp, what));
      continue;
    }
    if (inp.kind !== 'tensor' || inp.elemType === undefined) throw new KilnError({ message: `${what}: unsupported input kind ${inp.kind} (Kiln imports tensors)` });
    const dtype = kilnDType(inp.elemType, what);
    const given = opts.inputShapes?.[inp.name];
    const shape =
      given ??
      (inp.shape ?? []).map((d) => {
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

  // A sequence input has the length and item shapes given at import: one Kiln input per item.
  function sequenceInput(inp: OnnxValueInfo, what: string, shapes: readonly (readonly number[])[] | undefined): string[] {
    if (shapes === undefined) throw new KilnError({ message: `unsupported: ${what} is a sequence of unknown length; give its item shapes (sequenceInputs)` });
    if (inp.elemType === undefined) throw new KilnError({ message: `unsupported: ${what} is a sequence of non-tensors` });
    const dtype = kilnDType(inp.elemType, what);
    const onnxType = inp.elemType;
    return shapes.map((dims, i) => {
      const shape = [...dims];
      checkedNumel(shape, `${what} item #${i}`, limits);
      const key = itemKey(inp.name, i);
      const name = names.item(inp.name, i, key);
      slots.set(key, { kind: 'value', id: b.input(name, { dtype, shape }) });
      inputs.push({ name, onnxName: inp.name, item: i, type: { dtype, shape }, onnxType });
      return key;
    });
  }

  // An optional input is fixed at import as absent, or as a tensor or sequence input.
  function optionalInput(inp: OnnxValueInfo, what: string): Slot {
    const bound = opts.optionalInputs?.[inp.name];
    if (bound === undefined) throw new KilnError({ message: `unsupported: ${what} is optional; say whether it holds a value (optionalInputs)` });
    if (bound.kind === 'none') return { kind: 'optional', inner: undefined };
    if (bound.kind === 'sequence') return { kind: 'optional', inner: { kind: 'sequence', items: sequenceInput(inp, what, bound.items) } };
    if (inp.elemType === undefined) throw new KilnError({ message: `unsupported: ${what} is an optional of non-tensors` });
    const dtype = kilnDType(inp.elemType, what);
    const shape = [...bound.shape];
    checkedNumel(shape, what, limits);
    const name = names.value(inp.name);
    inputs.push({ name, onnxName: inp.name, type: { dtype, shape }, onnxType: inp.elemType });
    return { kind: 'optional', inner: { kind: 'value', id: b.input(name, { dtype, shape }) } };
  }

  const staticOf = (slot: Slot, name: string): StaticTensor | undefined => {
    if (slot.kind === 'static') return slot.value;
    if (slot.kind === 'init') {
      slot.value ??= {
        dims: slot.tensor.dims,
        values: tensorNumbers(slot.tensor, `initializer "${name}"`, { limits, ...(opts.external !== undefined ? { external: opts.external } : {}) }),
        dtype: kilnDType(slot.tensor.dataType, `initializer "${name}"`),
      };
      return slot.value;
    }
    return undefined;
  };
  const valueOf = (name: string, where: string): ValueId => {
    const slot = slots.get(name);
    if (slot === undefined)
      throw new KilnError({ op: where, message: `input "${name}" is not defined before use (a missing input, or the graph is cyclic or not topologically sorted)` });
    if (slot.kind === 'value') return slot.id;
    if (slot.kind === 'sequence') throw new KilnError({ op: where, message: `"${name}" is a sequence, used where a tensor is expected` });
    if (slot.kind === 'optional') throw new KilnError({ op: where, message: `"${name}" is an optional, used where a tensor is expected (OptionalGetElement unwraps it)` });
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

  const scope: ImportScope = {
    b,
    slots,
    limits,
    opset,
    staticOf,
    valueOf,
    valueSlot,
    lowerNode,
    bindSlot,
    sourceOf,
    isGraphInput: (name) => graphInputs.has(name),
    emitter: (where) => new Emitter(b, where, constants),
    freshTag: (where, k) => `${where}#${k}#${inlined++}`,
  };

  for (const out of g.outputs)
    if (out.kind !== 'tensor' && out.kind !== 'none' && out.kind !== 'sequence' && out.kind !== 'optional')
      throw new KilnError({ message: `graph output "${out.name}": unsupported output kind ${out.kind} (Kiln exports tensors)` });
  for (const node of g.nodes) lowerNode(node);

  function lowerNode(node: OnnxNode): void {
    const where = `${node.opType}${node.name !== '' ? ` "${node.name}"` : ''}`;
    if (++lowered > limits.maxNodes) throw new KilnError({ op: where, message: `the model unrolls to more than ${limits.maxNodes} nodes (the limit)` });
    const training = node.domain === TRAINING_DOMAIN;
    if (node.domain !== '' && node.domain !== 'ai.onnx' && !training) throw new KilnError({ op: where, message: `unsupported: op domain "${node.domain}"` });
    if (node.opType === 'If') {
      lowerIf(scope, node, where);
      return;
    }
    if (lowerOptional(scope, node, where)) return;
    if (node.opType === 'SequenceMap') {
      lowerSequenceMap(scope, node, where);
      return;
    }
    if (node.opType === 'Loop') {
      lowerLoop(scope, node, where);
      return;
    }
    if (node.opType === 'Scan') {
      lowerScan(scope, node, where);
      return;
    }
    const sequenceRule = training ? undefined : SEQUENCE_RULES[node.opType];
    if (sequenceRule !== undefined) {
      lowerSequence(scope, node, where, sequenceRule);
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

  function sourceOf(node: OnnxNode, where: string): OperandSource {
    return {
      value: (i) => {
        const n = node.inputs[i];
        return n === undefined || n === '' ? undefined : valueOf(n, where);
      },
      static: (i) => {
        const n = node.inputs[i] ?? '';
        const s = slots.get(n);
        return s === undefined ? undefined : staticOf(s, n);
      },
      graphInput: (i) => graphInputs.get(node.inputs[i] ?? ''),
    };
  }

  function bindSlot(node: OnnxNode, where: string, slot: Slot, i = 0): void {
    const out = node.outputs[i] ?? '';
    if (out === '') return;
    if (slots.has(out)) throw new KilnError({ op: where, message: `output "${out}" is defined twice (ONNX graphs are SSA)` });
    slots.set(out, slot);
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

  function fold(node: OnnxNode, where: string, statics: readonly (StaticTensor | undefined)[]): void {
    const rule = (node.domain === TRAINING_DOMAIN ? TRAINING_RULES : OP_RULES)[node.opType];
    if (rule === undefined) throw new KilnError({ op: where, message: `internal: folding ${node.opType}, which has no lowering` });
    const values = foldNode(rule, node, where, opset, statics);
    node.outputs.forEach((name, i) => {
      if (name === '') return;
      const v = values[i];
      if (v === undefined) throw new KilnError({ op: where, message: `unsupported: output #${i} "${name}"` });
      bindSlot(node, where, { kind: 'static', value: v }, i);
    });
  }

  const outputs: ImportedValue[] = [];
  for (const out of g.outputs) {
    const declared = slots.get(out.name);
    if (declared?.kind === 'optional' && declared.inner === undefined) continue; // an absent optional: no Kiln output
    const slot = declared?.kind === 'optional' ? declared.inner : declared;
    if (slot?.kind === 'sequence') {
      slot.items.forEach((key, i) => {
        const id = valueOf(key, `graph output "${out.name}" item #${i}`);
        const name = names.output(`${out.name}_${i}`);
        const type = b.typeOf(id);
        b.output(id, name);
        outputs.push({ name, onnxName: out.name, item: i, type, onnxType: out.elemType ?? onnxTypeOf(type.dtype) });
      });
      continue;
    }
    // A present optional's tensor is looked up under a key of its own (valueOf materializes it).
    const key = declared?.kind === 'optional' && slot !== undefined ? `${itemKey(out.name, 0)}?` : out.name;
    if (key !== out.name && slot !== undefined) slots.set(key, slot);
    const id = valueOf(key, `graph output "${out.name}"`);
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
