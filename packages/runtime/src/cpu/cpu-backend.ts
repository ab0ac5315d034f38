// The CPU Backend: the Backend interface over the interpreter. State lives in the executable as
// HostTensors, or in the slots of a CpuStateStore it is bound to; after each run every
// updatesState output replaces its state value.

import { KilnError, verifyOrThrow, type Graph, type GraphInput } from '@kiln/ir';
import { checkHostInput, checkInputRecord, type Backend, type CompileOptions, type Executable } from '../backend.js';
import type { StateSlot } from '../state-store.js';
import { CpuStateStore, copyHostTensor } from './cpu-state.js';
import { toHostTensor, zeros, type HostInput, type HostTensor, type Precision } from '@kiln/ir';
import { kernelMap, runGraph } from '@kiln/ir';

export interface CpuBackendOptions {
  /** Default precision for compiled graphs (CompileOptions.precision overrides it). */
  readonly precision?: Precision;
}

export function createCpuBackend(defaults: CpuBackendOptions = {}): Backend {
  return {
    name: 'cpu',
    // async so that every error (verification, bad initial state) arrives as a rejection.
    compile: async (graph, opts: CompileOptions = {}) => new CpuExecutable(graph, opts.precision ?? defaults.precision ?? 'f32', opts),
  };
}

/** Where one state input's value lives: the executable's own map or a store slot. */
type StateHome = { readonly kind: 'own' } | { readonly kind: 'slot'; readonly store: CpuStateStore; readonly slot: StateSlot };

class CpuExecutable implements Executable {
  readonly stateNames: readonly string[];
  private readonly own = new Map<string, HostTensor>();
  private readonly homes = new Map<string, StateHome>();
  private readonly kernels: ReadonlyMap<string, Graph>;
  private readonly store: CpuStateStore | undefined;
  private disposed = false;

  constructor(
    readonly graph: Graph,
    private readonly precision: Precision,
    opts: CompileOptions,
  ) {
    verifyOrThrow(graph);
    this.kernels = kernelMap(graph);
    const stateInputs = graph.inputs.filter((i) => i.state);
    this.stateNames = stateInputs.map((i) => i.name);
    const initial = opts.state ?? {};
    const bindings = opts.bindings ?? {};
    for (const name of [...Object.keys(initial), ...Object.keys(bindings)])
      if (!this.stateNames.includes(name)) throw new KilnError({ message: `initial state given for %${name}, which is not a state input of @${graph.name}`, value: `%${name}` });
    if (opts.store !== undefined && !(opts.store instanceof CpuStateStore))
      throw new KilnError({ message: `@${graph.name}: the CPU backend cannot bind state held by a ${opts.store.backend} store` });
    if (opts.store instanceof CpuStateStore && opts.store.precision !== precision)
      throw new KilnError({ message: `@${graph.name}: a ${opts.store.precision} state store cannot serve a ${precision} executable` });
    this.store = opts.store;
    for (const inp of stateInputs) {
      const slot = bindings[inp.name];
      if (slot !== undefined) {
        if (this.store === undefined) throw new KilnError({ message: `@${graph.name}: state %${inp.name} is bound to a slot, but no store was given` });
        this.checkSlot(inp, slot);
        this.homes.set(inp.name, { kind: 'slot', store: this.store, slot });
        continue;
      }
      const v = initial[inp.name];
      this.homes.set(inp.name, { kind: 'own' });
      this.own.set(inp.name, v === undefined ? zeros(inp.type, precision) : copyHostTensor(toHostTensor(v, inp.type, precision, `state %${inp.name}`)));
    }
  }

  run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, HostTensor>> {
    // Inputs are converted now, so a caller refilling its arrays after run() cannot change this run.
    let given: (HostTensor | undefined)[];
    try {
      this.checkLive();
      checkInputRecord(inputs, `run of @${this.graph.name}`);
      for (const name of this.stateNames) if (name in inputs) throw new KilnError({ message: `%${name} is a state input: set it with setState, not run`, value: `%${name}` });
      given = this.graph.inputs.map((inp) => (inp.state ? undefined : copyHostTensor(this.inputValue(inp, inputs))));
    } catch (e) {
      return Promise.reject(e);
    }
    return this.serialize(async () => {
      this.checkLive();
      const values = this.graph.inputs.map((inp, i) => given[i] ?? this.stateValue(inp));
      const outs = runGraph(this.graph, values, this.precision, this.kernels);
      // By data array: a layout op (reshape) may hand back a state's array under a new type.
      const states = new Set(this.graph.inputs.flatMap((inp, i) => (inp.state ? [values[i]!.data.buffer] : [])));
      const result: Record<string, HostTensor> = {};
      this.graph.outputs.forEach((o, i) => {
        const t = outs[i]!;
        // A state value must not alias anything the caller holds (an output or an input it passed),
        // and an output that IS a state value (returned unchanged) is copied for the same reason.
        if (o.updatesState) this.setValue(o.name, copyHostTensor(t));
        else result[o.name] = states.has(t.data.buffer) ? copyHostTensor(t) : t;
      });
      return result;
    });
  }

  getState(name: string): Promise<HostTensor> {
    return this.serialize(async () => {
      this.checkLive();
      return copyHostTensor(this.stateValue(this.stateInput(name)));
    });
  }

  setState(name: string, value: HostInput): void {
    this.checkLive();
    checkHostInput(value, `setState %${name} of @${this.graph.name}`);
    const inp = this.stateInput(name);
    const t = copyHostTensor(toHostTensor(value, inp.type, this.precision, `state %${name}`));
    void this.serialize(async () => this.setValue(name, t));
  }

  dispose(): void {
    this.disposed = true;
    this.own.clear();
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    return this.store !== undefined ? this.store.serialize(task) : task();
  }

  private checkSlot(inp: GraphInput, slot: StateSlot): void {
    const t = slot.type;
    if (t.dtype !== inp.type.dtype || t.shape.length !== inp.type.shape.length || t.shape.some((d, i) => d !== inp.type.shape[i]))
      throw new KilnError({
        message: `@${this.graph.name}: state %${inp.name} is ${inp.type.dtype}[${inp.type.shape.join(',')}], its slot ${slot.label} is ${t.dtype}[${t.shape.join(',')}]`,
        value: `%${inp.name}`,
      });
    if (this.store?.owns(slot) !== true) throw new KilnError({ message: `@${this.graph.name}: the slot of state %${inp.name} (${slot.label}) is not in this store` });
  }

  private setValue(name: string, t: HostTensor): void {
    const home = this.homes.get(name);
    if (home?.kind === 'slot') home.store.replace(home.slot, t);
    else this.own.set(name, t);
  }

  private stateInput(name: string): GraphInput {
    const inp = this.graph.inputs.find((i) => i.state && i.name === name);
    if (inp === undefined) throw new KilnError({ message: `@${this.graph.name} has no state input %${name}`, value: `%${name}` });
    return inp;
  }

  private stateValue(inp: GraphInput): HostTensor {
    const home = this.homes.get(inp.name);
    const t = home?.kind === 'slot' ? home.store.value(home.slot) : this.own.get(inp.name);
    if (t === undefined) throw new KilnError({ message: `internal: state %${inp.name} has no value`, value: `%${inp.name}` });
    return t;
  }

  private inputValue(inp: GraphInput, inputs: Readonly<Record<string, HostInput>>): HostTensor {
    const v = inputs[inp.name];
    if (v === undefined) throw new KilnError({ message: `missing input %${inp.name} (${inp.type.dtype}[${inp.type.shape.join(',')}])`, value: `%${inp.name}` });
    return toHostTensor(v, inp.type, this.precision, `input %${inp.name}`);
  }

  private checkLive(): void {
    if (this.disposed) throw new KilnError({ message: `executable for @${this.graph.name} was disposed` });
  }
}
