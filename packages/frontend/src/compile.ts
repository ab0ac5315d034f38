// Frontend: `compile(traced)` → a Step that runs the graph on a backend with its parameters kept
// inside (initialised from the seed), returning the non-state outputs (rank-0 ones as numbers).

import { KilnError, type Graph } from '@kiln/ir';
import { createCpuBackend, type Executable, type HostArray, type HostInput, type Precision } from '@kiln/runtime';
import { initialize } from './init.js';
import type { Traced } from './trace.js';

export type BackendChoice = 'cpu' | 'auto';

export interface CompileOptions {
  /** 'auto' picks the best available backend (today: always the CPU interpreter). */
  readonly backend?: BackendChoice;
  /** Seed for parameter initialisation (default 0). */
  readonly seed?: number;
  /** CPU precision: 'f32' (default) or 'f64' (gradient checks). */
  readonly precision?: Precision;
  /** Initial values for some state inputs, overriding their initializers. */
  readonly params?: Readonly<Record<string, HostInput>>;
}

/** An output value: a number for rank-0 outputs, else its elements row-major. */
export type StepValue = number | HostArray;

export interface Step {
  /** The backend actually used ('cpu'). */
  readonly backend: string;
  /** Why that backend was chosen. */
  readonly backendReason: string;
  readonly traced: Traced;
  readonly graph: Graph;
  /** Runs one step on the non-state inputs; state updates are applied before it resolves. */
  run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, StepValue>>;
  /** Current values of every state input, by name. */
  params(): Promise<Record<string, HostArray>>;
  getParam(name: string): Promise<HostArray>;
  setParam(name: string, value: HostInput): void;
  dispose(): void;
}

function chooseBackend(choice: BackendChoice): { name: 'cpu'; reason: string } {
  switch (choice) {
    case 'cpu':
      return { name: 'cpu', reason: 'requested cpu' };
    case 'auto':
      return { name: 'cpu', reason: 'auto: the WebGPU backend is not wired into compile yet, using the CPU interpreter' };
    default: {
      const never: never = choice;
      return never;
    }
  }
}

export async function compile(traced: Traced, opts: CompileOptions = {}): Promise<Step> {
  const { name, reason } = chooseBackend(opts.backend ?? 'auto');
  const seed = opts.seed ?? 0;
  const known = new Set(traced.params.map((p) => p.name));
  for (const n of Object.keys(opts.params ?? {}))
    if (!known.has(n)) throw new KilnError({ message: `compile: initial value given for %${n}, which is not a state input of @${traced.graph.name}`, value: `%${n}` });
  const state: Record<string, HostInput> = {};
  for (const p of traced.params) state[p.name] = opts.params?.[p.name] ?? initialize(p, seed);
  const backend = createCpuBackend();
  const exe = await backend.compile(traced.graph, { state, ...(opts.precision !== undefined ? { precision: opts.precision } : {}) });
  return new CompiledStep(name, reason, traced, exe);
}

class CompiledStep implements Step {
  private readonly inputNames: ReadonlySet<string>;
  constructor(
    readonly backend: string,
    readonly backendReason: string,
    readonly traced: Traced,
    private readonly exe: Executable,
  ) {
    this.inputNames = new Set(traced.inputs.map((i) => i.name));
  }

  get graph(): Graph {
    return this.traced.graph;
  }

  async run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, StepValue>> {
    for (const n of Object.keys(inputs))
      if (!this.inputNames.has(n))
        throw new KilnError({ message: `run: unknown input %${n} (inputs: ${[...this.inputNames].join(', ') || 'none'})`, value: `%${n}` });
    const outs = await this.exe.run(inputs);
    const result: Record<string, StepValue> = {};
    for (const [n, t] of Object.entries(outs)) result[n] = t.type.shape.length === 0 ? (t.data[0] ?? 0) : t.data;
    return result;
  }

  async params(): Promise<Record<string, HostArray>> {
    const out: Record<string, HostArray> = {};
    for (const n of this.exe.stateNames) out[n] = (await this.exe.getState(n)).data;
    return out;
  }

  async getParam(name: string): Promise<HostArray> {
    return (await this.exe.getState(name)).data;
  }

  setParam(name: string, value: HostInput): void {
    this.exe.setState(name, value);
  }

  dispose(): void {
    this.exe.dispose();
  }
}
