// Frontend: k.onnx — ONNX models as modules. load(bytes) imports the model (@kiln/onnx) into a
// Module whose forward replays the imported graph into the current trace, its initializers held
// as variables (trainable parameters on request), so it works with k.jit and the optimizers.
// save(module, specs) traces module.forward and serializes the inference graph as ONNX.

import { KilnError, type Graph, type ValueId } from '@kiln/ir';
import type { ImportOptions, ImportedModel, KilnTensor } from '@kiln/onnx';
import { decodeModel, exportGraph, importModel } from '#onnx-codec';
import { values as valuesInit } from './init.js';
import { Module } from './modules/module.js';
import type { TensorSpec } from './spec.js';
import { Tensor } from './tensor.js';
import { trace } from './trace.js';
import { Parameter, Variable } from './variable.js';

export interface OnnxLoadOptions extends ImportOptions {
  /** Float initializers become trainable parameters (default false: frozen buffers). */
  readonly trainable?: boolean;
}

/** An imported ONNX model. forward takes the model's inputs in ONNX order and returns its outputs (one Tensor, or an array). */
export class OnnxModule extends Module {
  /** The initializers by ONNX name, as variables. */
  readonly initializers: Record<string, Variable> = {};

  constructor(
    readonly imported: ImportedModel,
    opts: { readonly trainable?: boolean } = {},
  ) {
    super();
    for (const p of imported.params) {
      const init = valuesInit(p.value.data);
      const label = p.name;
      this.initializers[p.name] =
        p.float && opts.trainable === true
          ? new Parameter(p.value.type.shape, init, { label })
          : new Variable(p.value.type.shape, init, { label, dtype: p.value.type.dtype, trainable: false });
    }
  }

  get graph(): Graph {
    return this.imported.graph;
  }
  get inputNames(): string[] {
    return this.imported.inputs.map((i) => i.onnxName);
  }
  get outputNames(): string[] {
    return this.imported.outputs.map((o) => o.onnxName);
  }

  forward(...inputs: Tensor[]): Tensor | Tensor[] {
    const outs = this.run(inputs);
    return outs.length === 1 && outs[0] !== undefined ? outs[0] : outs;
  }

  /** forward for a model with exactly one output: that output. */
  apply(...inputs: Tensor[]): Tensor {
    const outs = this.run(inputs);
    const only = outs[0];
    if (outs.length !== 1 || only === undefined)
      throw new KilnError({ message: `onnx: apply needs a model with one output; this one has ${outs.length} (${this.outputNames.join(', ')}): use forward or forwardNamed` });
    return only;
  }

  /** forward with inputs and outputs by ONNX name. */
  forwardNamed(inputs: Readonly<Record<string, Tensor>>): Record<string, Tensor> {
    // A sequence value is one Kiln value per item, all under one ONNX name: names cannot address them.
    if ([...this.imported.inputs, ...this.imported.outputs].some((v) => v.item !== undefined))
      throw new KilnError({
        message: `onnx: this model has sequence inputs or outputs (one tensor per item); forwardNamed cannot address items by ONNX name: use forward, which takes and returns them in order (${this.inputNames.join(', ')})`,
      });
    const outs = this.run(
      this.imported.inputs.map((i) => {
        const t = inputs[i.onnxName];
        if (t === undefined) throw new KilnError({ message: `onnx: missing input "${i.onnxName}" (inputs: ${this.inputNames.join(', ')})` });
        return t;
      }),
    );
    const r: Record<string, Tensor> = {};
    this.imported.outputs.forEach((o, i) => {
      const t = outs[i];
      if (t !== undefined) r[o.onnxName] = t;
    });
    return r;
  }

  private run(inputs: readonly Tensor[]): Tensor[] {
    const g = this.imported.graph;
    const expected = this.imported.inputs;
    if (inputs.length !== expected.length) throw new KilnError({ message: `onnx: the model takes ${expected.length} input(s) (${this.inputNames.join(', ')}), got ${inputs.length}` });
    const first = inputs[0];
    const ctx = first?.trace;
    if (ctx === undefined) throw new KilnError({ message: 'onnx: forward needs at least one traced input' });
    const map = new Map<ValueId, ValueId>();
    let k = 0;
    for (const inp of g.inputs) {
      if (inp.state) {
        const v = this.initializers[inp.name];
        if (v === undefined) throw new KilnError({ message: `internal: onnx initializer %${inp.name} has no variable` });
        map.set(inp.id, ctx.bindVariable(v).id);
        continue;
      }
      const t = inputs[k++];
      if (t === undefined) throw new KilnError({ message: 'internal: onnx input count' });
      const want = expected[k - 1];
      if (want !== undefined && (t.dtype !== want.type.dtype || t.shape.length !== want.type.shape.length || t.shape.some((d, i) => d !== want.type.shape[i])))
        throw ctx.error('onnx', `input "${want.onnxName}" must be ${want.type.dtype}[${want.type.shape.join(',')}], got ${t.dtype}[${t.shape.join(',')}]`, [t]);
      map.set(inp.id, t.id);
    }
    const lookup = (v: ValueId): ValueId => {
      const m = map.get(v);
      if (m === undefined) throw new KilnError({ message: `internal: onnx value ${v} used before definition` });
      return m;
    };
    for (const n of g.nodes) map.set(n.id, ctx.builder.add(n.op, n.operands.map(lookup), n.attrs, { type: n.type }));
    return g.outputs.map((o) => ctx.wrap(lookup(o.value)));
  }
}

/** Imports an ONNX model (a ModelProto file's bytes) as a module. */
export function load(bytes: Uint8Array, opts: OnnxLoadOptions = {}): OnnxModule {
  return new OnnxModule(importModel(decodeModel(bytes, opts.limits), opts), opts.trainable !== undefined ? { trainable: opts.trainable } : {});
}

/** Traces `module.forward` on inputs of `specs` (in order) and serializes the inference graph as ONNX (opset 17). */
export async function save(module: Module, specs: Readonly<Record<string, TensorSpec>>): Promise<Uint8Array> {
  const forward = module.forward.bind(module) as (...xs: Tensor[]) => unknown;
  const traced = trace(
    (inputs) => {
      const r = forward(
        ...Object.keys(specs).map((n) => {
          const t = inputs[n];
          if (t === undefined) throw new KilnError({ message: `internal: onnx.save input ${n}` });
          return t;
        }),
      );
      if (r instanceof Tensor) return { output: r };
      if (Array.isArray(r) && r.every((x) => x instanceof Tensor)) return Object.fromEntries(r.map((t, i) => [`output_${i}`, t]));
      throw new KilnError({ message: 'onnx.save: forward must return a Tensor or an array of Tensors' });
    },
    specs,
    { name: 'model' },
  );
  const state: Record<string, KilnTensor> = {};
  for (const p of traced.params) {
    if (p.variable === undefined) throw new KilnError({ message: `onnx.save: state %${p.name} is not a module variable (randomness or optimizer state cannot be exported)` });
    const v = await p.variable.read();
    state[p.name] = { type: v.type, data: v.data instanceof Float64Array ? Float32Array.from(v.data) : v.data };
  }
  return exportGraph(traced.graph, state);
}
