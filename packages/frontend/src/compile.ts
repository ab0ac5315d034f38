// Frontend: `compile(traced)` → a Step. Runs the pass pipeline on the traced graph, picks a backend
// by the device policy (KILN_BACKEND, else the option, else 'auto'), and keeps the parameters inside
// the executable (on the GPU for WebGPU), returning the non-state outputs (rank-0 ones as numbers).
// Every entry point checks its arguments and that the step is live; `recover()` rebuilds a step
// (after device loss) from the last host copy of its state.

import { KilnError, type Graph } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline, type PipelineResult } from '@kiln/passes';
import { checkHostInput, checkInputRecord, createCpuBackend, type Executable, type HostArray, type HostInput, type Precision, type StateSlot, type TuneMode } from '@kiln/runtime';
import { resolveBackend, stateStoreFor, webgpu, type BackendChoice } from './devices.js';
import { initialize } from './init.js';
import type { Traced } from './trace.js';

/** Options of `k.compile` (the functional form): backend, seed, precision, pipeline, initial state. */
export interface CompileOptions {
  /**
   * 'auto' (default): navigator.gpu's adapter in a browser; in Node a hardware WebGPU adapter, else
   * Dawn's OpenGL ES adapter (llvmpipe); else the CPU interpreter, saying why (Step.backendReason).
   * The environment variable KILN_BACKEND=cpu|webgpu|auto (Node) overrides this.
   */
  readonly backend?: BackendChoice;
  /**
   * A GPUDevice the caller already owns (a page's renderer, say), used as is instead of acquiring
   * one: Kiln keeps its limits and never destroys it. Implies WebGPU.
   */
  readonly device?: GPUDevice;
  /** Seed for parameter initialisation (default 0). */
  readonly seed?: number;
  /** 'f32' (default) or 'f64' (CPU interpreter only; gradient checks). */
  readonly precision?: Precision;
  /** Initial values for some state inputs, overriding their initializers. */
  readonly params?: Readonly<Record<string, HostInput>>;
  /** Pass pipeline run before execution (default DEFAULT_PIPELINE; '' runs the traced graph as is). */
  readonly pipeline?: string;
  /** Tuned kernel schedules (WebGPU): 'cached' (default: use the tune cache, never time), 'quick' / 'full' (tune first), 'off'. */
  readonly tune?: TuneMode;
  /** Receives the IR after every pass that changed it (for dumps). */
  readonly onIr?: (index: number, pass: string, irText: string) => void;
}

/** An output value: a number for rank-0 outputs, else its elements row-major. */
export type StepValue = number | HostArray;

export interface Step {
  /** The backend actually used. */
  readonly backend: 'cpu' | 'webgpu';
  /** Why that backend was chosen (and, for WebGPU, which adapter). */
  readonly backendReason: string;
  readonly traced: Traced;
  /** The graph that runs: the traced graph after the pass pipeline. */
  readonly graph: Graph;
  /** Per-pass timings and statistics of the pipeline (undefined when no pipeline ran). */
  readonly pipeline: PipelineResult | undefined;
  /** Compute kernels launched per run (fused kernels on WebGPU, nodes on the CPU). */
  readonly kernelsPerRun: number;
  /** Runs one step on the non-state inputs; state updates are applied before it resolves. */
  run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, StepValue>>;
  /** Current values of every state input, by name. */
  params(): Promise<Record<string, HostArray>>;
  getParam(name: string): Promise<HostArray>;
  setParam(name: string, value: HostInput): void;
  /**
   * A new step compiled from the same graph and options (on a fresh device when the old one was
   * lost), its state set from the last host copy: the values last read with params()/getParam(),
   * set with setParam(), or given at compile, whichever came last per state input. Runs after that
   * copy are not in it. Module variables recover from their own last host copies (see
   * docs/reliability.md). Once the new step is built, this one is disposed.
   */
  recover(): Promise<Step>;
  dispose(): void;
}

export async function compile(traced: Traced, opts: CompileOptions = {}): Promise<Step> {
  if (typeof opts !== 'object' || opts === null) throw new KilnError({ message: `compile: options must be an object, got ${opts === null ? 'null' : typeof opts}` });
  for (const [n, v] of Object.entries(opts.params ?? {})) checkHostInput(v, `compile: initial value of %${n}`);
  const seed = opts.seed ?? 0;
  const known = new Set(traced.params.map((p) => p.name));
  for (const n of Object.keys(opts.params ?? {}))
    if (!known.has(n)) throw new KilnError({ message: `compile: initial value given for %${n}, which is not a state input of @${traced.graph.name}`, value: `%${n}` });
  const { name, reason } = await resolveBackend(opts.backend, opts.precision, opts.device);
  const pipelineText = opts.pipeline ?? DEFAULT_PIPELINE;
  const pipeline =
    pipelineText.trim() === '' ? undefined : runPipeline(traced.graph, pipelineText, { ...(opts.onIr !== undefined ? { printIrAfter: 'change' as const, dump: opts.onIr } : {}) });
  const graph = pipeline?.graph ?? traced.graph;
  // Module variables live in the backend's state store (shared with every other graph using them);
  // state created by name inside the trace belongs to this step alone.
  const state: Record<string, HostInput> = {};
  const bindings: Record<string, StateSlot> = {};
  const store = traced.params.some((p) => p.variable !== undefined) ? await stateStoreFor(name, opts.precision, opts.device) : undefined;
  for (const p of traced.params) {
    const given = opts.params?.[p.name];
    if (p.variable !== undefined && store !== undefined) {
      bindings[p.name] = await p.variable.place(store, p.name);
      if (given !== undefined) await p.variable.write(given);
    } else state[p.name] = given ?? initialize(p, seed);
  }
  const shared = store !== undefined ? { store, bindings } : {};
  const made = { traced, opts, pipeline, reason, state };
  if (name === 'webgpu') {
    const exe = await webgpu(opts.device).backend.compile(graph, { state, ...shared, ...(opts.tune !== undefined ? { tune: opts.tune } : {}) });
    return new CompiledStep(name, made, exe, exe.dispatchesPerRun);
  }
  const exe = await createCpuBackend().compile(graph, { state, ...shared, ...(opts.precision !== undefined ? { precision: opts.precision } : {}) });
  return new CompiledStep(name, made, exe, graph.nodes.length);
}

/** What a step was compiled from, for recover(). */
interface StepOrigin {
  readonly traced: Traced;
  readonly opts: CompileOptions;
  readonly pipeline: PipelineResult | undefined;
  readonly reason: string;
  /** Initial values of the state the step owns (not module variables). */
  readonly state: Readonly<Record<string, HostInput>>;
}

class CompiledStep implements Step {
  readonly backendReason: string;
  readonly traced: Traced;
  readonly pipeline: PipelineResult | undefined;
  private readonly inputNames: ReadonlySet<string>;
  /** The last host copy of each state input the step owns (see recover()). */
  private readonly hostCopy: Record<string, HostInput>;
  private disposed = false;

  constructor(
    readonly backend: 'cpu' | 'webgpu',
    private readonly origin: StepOrigin,
    private readonly exe: Executable,
    readonly kernelsPerRun: number,
  ) {
    this.backendReason = origin.reason;
    this.traced = origin.traced;
    this.pipeline = origin.pipeline;
    this.inputNames = new Set(origin.traced.inputs.map((i) => i.name));
    this.hostCopy = { ...origin.state };
  }

  get graph(): Graph {
    return this.exe.graph;
  }

  async run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, StepValue>> {
    this.checkLive('run');
    checkInputRecord(inputs, `run of @${this.traced.graph.name}`);
    for (const n of Object.keys(inputs))
      if (!this.inputNames.has(n)) throw new KilnError({ message: `run: unknown input %${n} (inputs: ${[...this.inputNames].join(', ') || 'none'})`, value: `%${n}` });
    const outs = await this.exe.run(inputs);
    const result: Record<string, StepValue> = {};
    for (const [n, t] of Object.entries(outs)) result[n] = t.type.shape.length === 0 ? scalarOf(t.data, n) : t.data;
    return result;
  }

  async params(): Promise<Record<string, HostArray>> {
    this.checkLive('params');
    const out: Record<string, HostArray> = {};
    for (const n of this.exe.stateNames) out[n] = await this.getParam(n);
    return out;
  }

  async getParam(name: string): Promise<HostArray> {
    this.checkLive('getParam');
    if (typeof name !== 'string') throw new KilnError({ message: `getParam: the name must be a string, got ${typeof name}` });
    const data = (await this.exe.getState(name)).data;
    if (Object.hasOwn(this.hostCopy, name)) this.hostCopy[name] = data.slice();
    return data;
  }

  setParam(name: string, value: HostInput): void {
    this.checkLive('setParam');
    checkHostInput(value, `setParam %${name}`);
    this.exe.setState(name, value);
    if (Object.hasOwn(this.hostCopy, name))
      this.hostCopy[name] = typeof value === 'number' ? value : 'type' in value ? { type: value.type, data: value.data.slice() } : Array.from(value);
  }

  async recover(): Promise<Step> {
    this.checkLive('recover');
    // Only the state this step owns: module variables carry their own host copies (compile-time
    // values given for them must not overwrite what they hold now). Built before this step is
    // disposed, so a failed rebuild (no device yet) can be retried.
    const next = await compile(this.origin.traced, { ...this.origin.opts, params: { ...this.hostCopy } });
    this.dispose();
    return next;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.exe.dispose();
  }

  private checkLive(what: string): void {
    if (this.disposed) throw new KilnError({ message: `${what}: the step for @${this.traced.graph.name} was disposed (compile it again, or keep the step until you are done with it)` });
  }
}

function scalarOf(data: HostArray, name: string): number {
  const v = data[0];
  if (data.length !== 1 || v === undefined) throw new KilnError({ message: `internal: rank-0 output %${name} came back with ${data.length} elements` });
  return v;
}
