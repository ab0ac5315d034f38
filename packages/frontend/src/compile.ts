// Frontend: `compile(traced)` → a Step. Runs the pass pipeline on the traced graph, picks a backend
// by the device policy (KILN_BACKEND, else the option, else 'auto'), and keeps the parameters inside
// the executable (on the GPU for WebGPU), returning the non-state outputs (rank-0 ones as numbers).

import { KilnError, type Graph } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline, type PipelineResult } from '@kiln/passes';
import {
  createCpuBackend,
  createWebGpuBackend,
  requestWebGpuDevice,
  type Executable,
  type HostArray,
  type HostInput,
  type Precision,
  type WebGpuBackend,
  type WebGpuDeviceInfo,
} from '@kiln/runtime';
import { initialize } from './init.js';
import type { Traced } from './trace.js';

export type BackendChoice = 'auto' | 'cpu' | 'webgpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'cpu', 'webgpu'];

export interface CompileOptions {
  /**
   * 'auto' (default): a hardware WebGPU adapter, else Dawn's OpenGL ES adapter (llvmpipe), else
   * the CPU interpreter. The environment variable KILN_BACKEND=cpu|webgpu|auto overrides this.
   */
  readonly backend?: BackendChoice;
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

interface Choice {
  readonly requested: BackendChoice;
  readonly source: string;
}

function requestedBackend(option: BackendChoice | undefined): Choice {
  const env = process.env['KILN_BACKEND'];
  if (env !== undefined && env !== '') {
    if (!(BACKEND_CHOICES as readonly string[]).includes(env))
      throw new KilnError({ message: `KILN_BACKEND must be one of ${BACKEND_CHOICES.join(', ')}, got '${env}'` });
    return { requested: env as BackendChoice, source: `KILN_BACKEND=${env}` };
  }
  return option !== undefined ? { requested: option, source: `backend: '${option}'` } : { requested: 'auto', source: 'default auto' };
}

/** One WebGPU device and backend per process: pipelines are cached per backend, devices are costly. */
let sharedDevice: Promise<WebGpuDeviceInfo> | undefined;
let sharedBackend: WebGpuBackend | undefined;

function webgpu(): { device: Promise<WebGpuDeviceInfo>; backend: WebGpuBackend } {
  if (sharedDevice === undefined) {
    const device = requestWebGpuDevice();
    // A failed acquisition is not cached, so a later call may retry.
    device.catch(() => {
      if (sharedDevice === device) {
        sharedDevice = undefined;
        sharedBackend = undefined;
      }
    });
    sharedDevice = device;
  }
  sharedBackend ??= createWebGpuBackend({ device: sharedDevice });
  return { device: sharedDevice, backend: sharedBackend };
}

interface Resolved {
  readonly name: 'cpu' | 'webgpu';
  readonly reason: string;
}

async function resolveBackend(choice: Choice, precision: Precision | undefined): Promise<Resolved> {
  switch (choice.requested) {
    case 'cpu':
      return { name: 'cpu', reason: `${choice.source}: CPU interpreter` };
    case 'webgpu': {
      if (precision === 'f64') throw new KilnError({ message: `${choice.source} computes in f32 only, but precision 'f64' was requested` });
      const info = await webgpu().device;
      return { name: 'webgpu', reason: `${choice.source}: ${info.description} (${info.reason})` };
    }
    case 'auto': {
      if (precision === 'f64') return { name: 'cpu', reason: `${choice.source}: precision 'f64' needs the CPU interpreter` };
      try {
        const info = await webgpu().device;
        return { name: 'webgpu', reason: `${choice.source}: ${info.description} (${info.reason})` };
      } catch (e) {
        return { name: 'cpu', reason: `${choice.source}: no WebGPU device (${e instanceof Error ? e.message : String(e)}); using the CPU interpreter` };
      }
    }
    default: {
      const never: never = choice.requested;
      return never;
    }
  }
}

export async function compile(traced: Traced, opts: CompileOptions = {}): Promise<Step> {
  const seed = opts.seed ?? 0;
  const known = new Set(traced.params.map((p) => p.name));
  for (const n of Object.keys(opts.params ?? {}))
    if (!known.has(n)) throw new KilnError({ message: `compile: initial value given for %${n}, which is not a state input of @${traced.graph.name}`, value: `%${n}` });
  const { name, reason } = await resolveBackend(requestedBackend(opts.backend), opts.precision);
  const pipelineText = opts.pipeline ?? DEFAULT_PIPELINE;
  const pipeline = pipelineText.trim() === '' ? undefined : runPipeline(traced.graph, pipelineText, { ...(opts.onIr !== undefined ? { printIrAfter: 'change' as const, dump: opts.onIr } : {}) });
  const graph = pipeline?.graph ?? traced.graph;
  const state: Record<string, HostInput> = {};
  for (const p of traced.params) state[p.name] = opts.params?.[p.name] ?? initialize(p, seed);
  if (name === 'webgpu') {
    const exe = await webgpu().backend.compile(graph, { state });
    return new CompiledStep(name, reason, traced, pipeline, exe, exe.dispatchesPerRun);
  }
  const exe = await createCpuBackend().compile(graph, { state, ...(opts.precision !== undefined ? { precision: opts.precision } : {}) });
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
