// The CPU Backend: the Backend interface over the interpreter. State lives in the executable as
// HostTensors; after each run every updatesState output replaces its state value.

import { KilnError, verifyOrThrow, type Graph, type GraphInput } from '@kiln/ir';
import type { Backend, CompileOptions, Executable } from '../backend.js';
import { toHostTensor, zeros, type HostInput, type HostTensor, type Precision } from './host-tensor.js';
import { kernelMap, runGraph } from './interpreter.js';

export interface CpuBackendOptions {
  /** Default precision for compiled graphs (CompileOptions.precision overrides it). */
  readonly precision?: Precision;
}

export function createCpuBackend(defaults: CpuBackendOptions = {}): Backend {
  return {
    name: 'cpu',
    // async so that every error (verification, bad initial state) arrives as a rejection.
    compile: async (graph, opts: CompileOptions = {}) => new CpuExecutable(graph, opts.precision ?? defaults.precision ?? 'f32', opts.state ?? {}),
  };
}

function copyOf(t: HostTensor): HostTensor {
  return { type: { dtype: t.type.dtype, shape: [...t.type.shape] }, data: t.data.slice() };
}

class CpuExecutable implements Executable {
  readonly stateNames: readonly string[];
  private readonly state = new Map<string, HostTensor>();
  private readonly kernels: ReadonlyMap<string, Graph>;
  private disposed = false;

  constructor(
    readonly graph: Graph,
    private readonly precision: Precision,
    initial: Readonly<Record<string, HostInput>>,
  ) {
    verifyOrThrow(graph);
    this.kernels = kernelMap(graph);
    const stateInputs = graph.inputs.filter((i) => i.state);
    this.stateNames = stateInputs.map((i) => i.name);
    for (const name of Object.keys(initial))
      if (!this.stateNames.includes(name)) throw new KilnError({ message: `initial state given for %${name}, which is not a state input of @${graph.name}`, value: `%${name}` });
    for (const inp of stateInputs) {
      const v = initial[inp.name];
      this.state.set(inp.name, v === undefined ? zeros(inp.type, precision) : copyOf(toHostTensor(v, inp.type, precision, `state %${inp.name}`)));
    }
  }

  async run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, HostTensor>> {
    this.checkLive();
    for (const name of this.stateNames)
      if (name in inputs) throw new KilnError({ message: `%${name} is a state input: set it with setState, not run`, value: `%${name}` });
    const values = this.graph.inputs.map((inp) => (inp.state ? this.stateValue(inp) : this.inputValue(inp, inputs)));
    const outs = runGraph(this.graph, values, this.precision, this.kernels);
    const result: Record<string, HostTensor> = {};
    this.graph.outputs.forEach((o, i) => {
      const t = outs[i]!;
      // A state value must not alias anything the caller holds (an output or an input it passed).
      if (o.updatesState) this.state.set(o.name, copyOf(t));
      else result[o.name] = t;
    });
    return result;
  }

  async getState(name: string): Promise<HostTensor> {
    this.checkLive();
    return copyOf(this.stateValue(this.stateInput(name)));
  }

  setState(name: string, value: HostInput): void {
    this.checkLive();
    const inp = this.stateInput(name);
    this.state.set(name, copyOf(toHostTensor(value, inp.type, this.precision, `state %${name}`)));
  }

  dispose(): void {
    this.disposed = true;
    this.state.clear();
  }

  private stateInput(name: string): GraphInput {
    const inp = this.graph.inputs.find((i) => i.state && i.name === name);
    if (inp === undefined) throw new KilnError({ message: `@${this.graph.name} has no state input %${name}`, value: `%${name}` });
    return inp;
  }

  private stateValue(inp: GraphInput): HostTensor {
    const t = this.state.get(inp.name);
    if (t === undefined) throw new KilnError({ message: `internal: state %${inp.name} has no value`, value: `%${inp.name}` });
    return t;
  }

  private inputValue(inp: GraphInput, inputs: Readonly<Record<string, HostInput>>): HostTensor {
    const v = inputs[inp.name];
    if (v === undefined)
      throw new KilnError({ message: `missing input %${inp.name} (${inp.type.dtype}[${inp.type.shape.join(',')}])`, value: `%${inp.name}` });
    return toHostTensor(v, inp.type, this.precision, `input %${inp.name}`);
  }

  private checkLive(): void {
    if (this.disposed) throw new KilnError({ message: `executable for @${this.graph.name} was disposed` });
  }
}
