// Frontend: `compile(traced)` → a Step. Runs the pass pipeline on the traced graph, picks a backend
// by the device policy (KILN_BACKEND, else the option, else 'auto'), and keeps the parameters inside
// the executable (on the GPU for WebGPU), returning the non-state outputs (rank-0 ones as numbers).

import { KilnError, type Graph } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline, type PipelineResult } from '@kiln/passes';
import { createCpuBackend, type Executable, type HostArray, type HostInput, type Precision, type StateSlot } from '@kiln/runtime';
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
  dispose(): void;
}

export async function compile(traced: Traced, opts: CompileOptions = {}): Promise<Step> {
  const seed = opts.seed ?? 0;
  const known = new Set(traced.params.map((p) => p.name));
  for (const n of Object.keys(opts.params ?? {}))
    if (!known.has(n)) throw new KilnError({ message: `compile: initial value given for %${n}, which is not a state input of @${traced.graph.name}`, value: `%${n}` });
  const { name, reason } = await resolveBackend(opts.backend, opts.precision, opts.device);
  const pipelineText = opts.pipeline ?? DEFAULT_PIPELINE;
  const pipeline = pipelineText.trim() === '' ? undefined : runPipeline(traced.graph, pipelineText, { ...(opts.onIr !== undefined ? { printIrAfter: 'change' as const, dump: opts.onIr } : {}) });
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
  if (name === 'webgpu') {
    const exe = await webgpu(opts.device).backend.compile(graph, { state, ...shared });
    return new CompiledStep(name, reason, traced, pipeline, exe, exe.dispatchesPerRun);
  }
  const exe = await createCpuBackend().compile(graph, { state, ...shared, ...(opts.precision !== undefined ? { precision: opts.precision } : {}) });
  return new CompiledStep(name, reason, traced, pipeline, exe, graph.nodes.length);
}

class CompiledStep implements Step {
  private readonly inputNames: ReadonlySet<string>;
  constructor(
    readonly backend: 'cpu' | 'webgpu',
    readonly backendReason: string,
    readonly traced: Traced,
    readonly pipeline: PipelineResult | undefined,
    private readonly exe: Executable,
    readonly kernelsPerRun: number,
  ) {
    this.inputNames = new Set(traced.inputs.map((i) => i.name));
  }

  get graph(): Graph {
    return this.exe.graph;
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
