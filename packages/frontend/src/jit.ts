// Frontend: k.jit(fn) — a shape-polymorphic compiled function. Each new combination of input
// shapes and dtypes (and of the module flags the trace read) traces `fn`, runs the pass pipeline
// and compiles once; later calls reuse that specialization. Every specialization of every jitted
// function binds the same device-resident variables (parameters, optimizer slots), so nothing is
// copied when switching between them.

import { KilnError, formatSourceLoc, formatType, type Graph, type SourceLoc, type TensorType } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline, type PipelineResult } from '@kiln/passes';
import {
  createCpuBackend,
  hasNonFinite,
  locateNonFinite,
  nonFiniteError,
  type Executable,
  type HostInput,
  type HostTensor as RuntimeHostTensor,
  type KernelTiming,
  type Precision,
  type StateSlot,
  type StateStore,
  GpuStateStore,
  WebGpuExecutable,
  type TuneMode,
} from '@kiln/runtime';
import { resolveBackend, stateStoreFor, webgpu, type BackendChoice, type Resolved } from './devices.js';
import { HostTensor, fromRuntime, tensor, type TensorInput } from './host-tensor.js';
import { callerLoc } from './source-loc.js';
import { Tensor } from './tensor.js';
import { DEFAULT_OUTPUT, trace, type Traced } from './trace.js';
import type { IndexCheck, StaticRead } from './trace-context.js';
import { Variable, drawSeed } from './variable.js';

/** What a jitted function may return: one tensor, or named tensors plus optional `updates`. */
export type JitReturn = Tensor | { readonly [name: string]: Tensor | Readonly<Record<string, Tensor>> | undefined };

/** JitReturn for a given result type R; unlike JitReturn it also admits interfaces (which have no index signature). */
export type JitReturnOf<R> = Tensor | { readonly [K in keyof R]: Tensor | Readonly<Record<string, Tensor>> | undefined };

/**
 * The inputs record a jitted function receives, for annotating it under noUncheckedIndexedAccess:
 * `k.jit(({ x, y }: k.Inputs<'x' | 'y'>) => ...)`.
 */
export type Inputs<N extends string> = { readonly [K in N]: Tensor };

/** The arguments of a call: one host value per input the function destructures. */
export type JitArgs<I> = { readonly [K in keyof I]: TensorInput };

/** The result of a call, typed from what the function returns: a host tensor per tensor output (`updates` stay on the device). */
export type JitOutputs<R> = R extends Tensor ? HostTensor : { readonly [K in keyof R as K extends 'updates' ? never : R[K] extends Tensor ? K : never]: HostTensor };

/** Checks run on every call: 'default' checks integer inputs used as indices (class labels, gather) on the host; 'nan' also finds the op that produced a NaN or Inf; 'off' checks nothing. */
export type JitChecks = 'default' | 'nan' | 'off';

export interface JitOptions {
  /** Name of the traced graphs (default: the function's name, else 'jit'). */
  readonly name?: string;
  /** 'auto' (default), 'cpu' or 'webgpu'; KILN_BACKEND overrides it. */
  readonly backend?: BackendChoice;
  /** A GPUDevice the caller already owns, used as is (its limits kept, never destroyed); implies WebGPU. */
  readonly device?: GPUDevice;
  /** 'f32' (default) or 'f64' (CPU interpreter only, for gradient checks). */
  readonly precision?: Precision;
  /** Pass pipeline (default DEFAULT_PIPELINE; '' runs the traced graph as is). */
  readonly pipeline?: string;
  /** Seed for state created by name inside `fn` (functional layers such as k.nn.linear, random keys); default: drawn from the k.manualSeed generator, so two functions draw different noise. */
  readonly seed?: number;
  /** Specializations kept (default 16); the least recently used one is dropped beyond that. */
  readonly maxCacheSize?: number;
  readonly checks?: JitChecks;
  /** Tuned kernel schedules (WebGPU): 'cached' (default: use the tune cache, never time), 'quick' / 'full' (tune first), 'off'. */
  readonly tune?: TuneMode;
  /** Called after each compile with what it cost. */
  readonly onCompile?: (info: CompileInfo) => void;
  /** Receives the IR after every pass that changed it, for each compile. */
  readonly onIr?: (index: number, pass: string, irText: string) => void;
}

/** What one specialization cost to build. */
export interface CompileInfo {
  /** Input names, dtypes and shapes, e.g. `x: f32[128,784], y: i32[128]`. */
  readonly signature: string;
  readonly backend: 'cpu' | 'webgpu';
  readonly traceMs: number;
  readonly passesMs: number;
  /** Code generation and pipeline creation (WebGPU) or interpreter setup (CPU). */
  readonly codegenMs: number;
  readonly totalMs: number;
  /** Compute kernels per call (fused kernels on WebGPU, nodes on the CPU). */
  readonly kernels: number;
  readonly primitiveOps: number;
}

/** What `fn.cacheInfo()` reports: cache hits and misses (compiles) and the specializations held. */
export interface CacheInfo {
  readonly hits: number;
  readonly misses: number;
  readonly size: number;
  readonly maxSize: number;
  /** The specializations held, in compile order. */
  readonly entries: readonly CompileInfo[];
}

/** The graphs of one compiled specialization (`fn.lastCompiled`). */
export interface CompiledGraphs {
  readonly traced: Traced;
  /** The graph that runs: the traced graph after the pass pipeline. */
  readonly graph: Graph;
  /** Per-pass timings and statistics (e.g. plan-memory's peakBytes); undefined when no pipeline ran. */
  readonly pipeline: PipelineResult | undefined;
  /** The generated WebGPU kernels (name, template, WGSL, workgroups), in dispatch order; undefined on the CPU interpreter. */
  readonly kernels?: WebGpuExecutable['kernels'];
}

/** A compiled, cached, shape-polymorphic function. */
export interface JitFunction<I, R> {
  (inputs: JitArgs<I>): Promise<JitOutputs<R>>;
  cacheInfo(): CacheInfo;
  /** The backend used, once the first call has chosen it, and why. */
  readonly backend: 'cpu' | 'webgpu' | undefined;
  readonly backendReason: string | undefined;
  /** The most recently compiled specialization: the traced graph, the optimized one, and the pass pipeline's timings and statistics. */
  readonly lastCompiled: CompiledGraphs | undefined;
  /**
   * Per-kernel wall times of ONE real step on these inputs (compiling first if needed): each kernel
   * in its own submit, waiting for the GPU after each (WebGPU only). The step's state updates apply
   * as in a call; nothing is returned but the timings.
   */
  profile(inputs: JitArgs<I>): Promise<readonly KernelTiming[]>;
  /** Drops every specialization (variables keep their values); later calls compile again. */
  clearCache(): void;
  /** Frees every specialization; later calls are an error. Variables keep their values. */
  dispose(): void;
}

interface Binding {
  readonly name: string;
  readonly variable: Variable;
  readonly slot: StateSlot;
}

interface Specialization {
  readonly key: string;
  readonly statics: readonly StaticRead[];
  readonly traced: Traced;
  readonly exe: Executable;
  readonly bindings: readonly Binding[];
  readonly indexChecks: readonly IndexCheck[];
  readonly singleOutput: boolean;
  readonly info: CompileInfo;
  /** Compile order, for cacheInfo(). */
  readonly seq: number;
}

/** The user's line that made the call (or read the input), for errors raised outside any op. */
function sourceHere(): { source?: SourceLoc } {
  const loc = callerLoc();
  return loc !== undefined ? { source: loc } : {};
}

function signatureOf(inputs: ReadonlyMap<string, HostTensor>): string {
  return [...inputs].map(([n, t]) => `${n}: ${formatType(t.type)}`).join(', ');
}

function toHost(name: string, v: TensorInput, fnName: string): HostTensor {
  // Not copied here: executables copy inputs when run() is called, and the slow path copies first.
  if (v instanceof HostTensor) return v;
  if (typeof v === 'number' || typeof v === 'boolean' || Array.isArray(v)) {
    try {
      return tensor(v);
    } catch (e) {
      throw new KilnError({ message: `${fnName}: input '${name}': ${e instanceof KilnError ? (e.diagnostics[0]?.message ?? e.message) : String(e)}`, ...sourceHere() });
    }
  }
  const what = v === null ? 'null' : ArrayBuffer.isView(v) ? `a ${v.constructor.name} without a shape` : typeof v;
  throw new KilnError({ message: `${fnName}: input '${name}' must be a host tensor (k.tensor(data, shape, dtype)), a number or nested arrays, got ${what}`, ...sourceHere() });
}

export function jit<R extends JitReturnOf<R>, I extends Readonly<Record<string, Tensor>> = Readonly<Record<string, Tensor>>>(
  fn: (inputs: I) => R,
  opts: JitOptions = {},
): JitFunction<I, R> {
  const name = opts.name ?? (fn.name !== '' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(fn.name) ? fn.name : 'jit');
  const maxSize = opts.maxCacheSize ?? 16;
  if (!Number.isInteger(maxSize) || maxSize < 1) throw new KilnError({ message: `k.jit: maxCacheSize must be a positive integer, got ${maxSize}` });
  const checks = opts.checks ?? 'default';
  const seed = opts.seed ?? drawSeed();
  /** State created by name inside fn (functional layers), shared by this function's specializations. */
  const named = new Map<string, Variable>();
  const cache = new Map<string, Specialization[]>();
  const order: Specialization[] = [];
  const pending = new Map<string, Promise<Specialization>>();
  let hits = 0;
  let misses = 0;
  let resolved: Resolved | undefined;
  let resolving: Promise<Resolved> | undefined;
  let store: StateStore | undefined;
  let lastCompiled: CompiledGraphs | undefined;
  let disposed = false;

  const matches = (s: Specialization): boolean => s.statics.every((r) => Object.is(r.read(), r.value)) && s.bindings.every((b) => b.variable.slotIn(store!) === b.slot);

  const lookup = (key: string): Specialization | undefined => {
    const found = cache.get(key)?.find(matches);
    if (found !== undefined) {
      order.splice(order.indexOf(found), 1);
      order.push(found);
    }
    return found;
  };

  const evict = (s: Specialization): void => {
    const list = cache.get(s.key);
    if (list !== undefined) {
      const rest = list.filter((x) => x !== s);
      if (rest.length > 0) cache.set(s.key, rest);
      else cache.delete(s.key);
    }
    const i = order.indexOf(s);
    if (i >= 0) order.splice(i, 1);
    s.exe.dispose();
  };

  const variableFor = (p: Traced['params'][number]): Variable => {
    if (p.variable !== undefined) return p.variable;
    let v = named.get(p.name);
    if (v === undefined) {
      v = new Variable(p.type.shape, p.init, { dtype: p.type.dtype, trainable: p.trainable, label: p.name, seed, seedName: p.name });
      named.set(p.name, v);
    } else if (v.type.dtype !== p.type.dtype || v.type.shape.join() !== p.type.shape.join())
      throw new KilnError({
        message: `${name}: the state %${p.name} is ${formatType(p.type)} for inputs of this shape but ${formatType(v.type)} for an earlier call: a functional layer's weights must not depend on the input shape (check its feature sizes)`,
        ...(p.loc !== undefined ? { source: p.loc } : {}),
      });
    return v;
  };

  const compileFor = async (key: string, inputs: ReadonlyMap<string, HostTensor>): Promise<Specialization> => {
    const backend = resolved!;
    const t0 = performance.now();
    const specs: Record<string, TensorType> = {};
    for (const [n, t] of inputs) specs[n] = t.type;
    let singleOutput = false;
    const given = [...inputs.keys()];
    const traced = trace(
      (tensors) => {
        // A missing input is named here instead of surfacing as `undefined` inside fn.
        const guarded = new Proxy(tensors, {
          get(target, prop, receiver) {
            if (typeof prop === 'string' && !(prop in target) && prop !== 'then' && prop !== 'toJSON')
              throw new KilnError({ message: `${name}: fn reads input '${prop}', which this call did not pass (it passed: ${given.join(', ') || 'nothing'})`, ...sourceHere() });
            return Reflect.get(target, prop, receiver) as unknown;
          },
        });
        const out = fn(guarded as unknown as I);
        singleOutput = out instanceof Tensor;
        return out;
      },
      specs,
      { name },
    );
    const t1 = performance.now();
    const pipelineText = opts.pipeline ?? DEFAULT_PIPELINE;
    const pipeline =
      pipelineText.trim() === '' ? undefined : runPipeline(traced.graph, pipelineText, { ...(opts.onIr !== undefined ? { printIrAfter: 'change' as const, dump: opts.onIr } : {}) });
    const graph = pipeline?.graph ?? traced.graph;
    const t2 = performance.now();
    store ??= await stateStoreFor(backend.name, opts.precision, opts.device);
    const bindings: Binding[] = [];
    for (const p of traced.params) {
      const variable = variableFor(p);
      bindings.push({ name: p.name, variable, slot: await variable.place(store, p.name) });
    }
    const slots = Object.fromEntries(bindings.map((b) => [b.name, b.slot]));
    let exe: Executable;
    let kernels: number;
    if (backend.name === 'webgpu') {
      const w = await webgpu(opts.device).backend.compile(graph, { store, bindings: slots, ...(opts.tune !== undefined ? { tune: opts.tune } : {}) });
      exe = w;
      kernels = w.dispatchesPerRun;
    } else {
      exe = await createCpuBackend().compile(graph, { store, bindings: slots, ...(opts.precision !== undefined ? { precision: opts.precision } : {}) });
      kernels = graph.nodes.length;
    }
    const t3 = performance.now();
    const info: CompileInfo = {
      signature: signatureOf(inputs),
      backend: backend.name,
      traceMs: t1 - t0,
      passesMs: t2 - t1,
      codegenMs: t3 - t2,
      totalMs: t3 - t0,
      kernels,
      primitiveOps: traced.graph.nodes.length,
    };
    const spec: Specialization = { key, statics: traced.statics, traced, exe, bindings, indexChecks: traced.indexChecks, singleOutput, info, seq: misses };
    lastCompiled = { traced, graph, pipeline, ...(exe instanceof WebGpuExecutable ? { kernels: exe.kernels } : {}) };
    const list = cache.get(key) ?? [];
    list.push(spec);
    cache.set(key, list);
    order.push(spec);
    while (order.length > maxSize) evict(order[0]!);
    opts.onCompile?.(info);
    return spec;
  };

  const runOn = async (spec: Specialization, inputs: ReadonlyMap<string, HostTensor>): Promise<JitOutputs<R>> => {
    if (checks !== 'off') checkIndices(spec, inputs);
    const given: Record<string, HostInput> = Object.fromEntries(inputs);
    let outs: Record<string, RuntimeHostTensor>;
    if (checks === 'nan') outs = await runCheckingNaN(spec, given, store!, name);
    else outs = await spec.exe.run(given);
    if (spec.singleOutput) return fromRuntime(outs[DEFAULT_OUTPUT]!) as JitOutputs<R>;
    const result: Record<string, HostTensor> = {};
    for (const [n, t] of Object.entries(outs)) result[n] = fromRuntime(t);
    return result as JitOutputs<R>;
  };

  /** The specialization for these inputs, compiled (once, even for concurrent callers) if needed. */
  const specFor = async (key: string, inputs: ReadonlyMap<string, HostTensor>): Promise<Specialization> => {
    if (resolved === undefined) {
      resolving ??= resolveBackend(opts.backend, opts.precision, opts.device);
      resolved = await resolving;
    }
    let spec = lookup(key);
    if (spec === undefined) {
      let building = pending.get(key);
      if (building === undefined) {
        misses++;
        building = compileFor(key, inputs);
        pending.set(key, building);
        building.then(
          () => pending.delete(key),
          () => pending.delete(key),
        );
      } else hits++;
      spec = await building;
    } else hits++;
    return spec;
  };

  const slow = async (key: string, given: ReadonlyMap<string, HostTensor>): Promise<JitOutputs<R>> => {
    // Copied before the first await, so a caller refilling its arrays cannot change this call.
    const inputs = new Map([...given].map(([n, t]) => [n, new HostTensor(t.type, t.data.slice())]));
    return runOn(await specFor(key, inputs), inputs);
  };

  /** Whether a call has already rejected with this store's device loss (so the user was told). */
  let lossReported = false;

  /**
   * After device loss: drops every specialization and the lost store, so the call re-resolves the
   * backend (a fresh device) and recompiles, each variable moving there from its last host copy.
   * The loss is never passed over silently: unless a call already failed with it, this call
   * rejects with it and the next one rebuilds.
   */
  const leaveLostDevice = (): void => {
    const lost = store;
    if (lost?.lost !== true) return;
    order.slice().forEach(evict);
    store = undefined;
    resolved = undefined;
    resolving = undefined;
    const told = lossReported;
    lossReported = false;
    if (!told && lost instanceof GpuStateStore) lost.throwIfLost();
  };

  /** Notes that `p`'s rejection (if any) told the caller of the device loss. */
  const noteLoss = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      if (store?.lost === true) lossReported = true;
      throw e;
    });

  const hostInputs = (args: JitArgs<I>): Map<string, HostTensor> => {
    leaveLostDevice();
    if (disposed) throw new KilnError({ message: `${name} was disposed: make a new k.jit function to run it again (its variables keep their values)` });
    if (typeof args !== 'object' || args === null || Array.isArray(args))
      throw new KilnError({
        message: `${name}(...) takes one record of named inputs, e.g. ${name}({ x: k.tensor(data, [batch, features]) }); got ${args === null ? 'null' : Array.isArray(args) ? 'an array' : typeof args}`,
        ...sourceHere(),
      });
    return new Map(
      Object.entries(args)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([n, v]) => [n, toHost(n, v, name)]),
    );
  };

  const profile = async (args: JitArgs<I>): Promise<readonly KernelTiming[]> => {
    const given = hostInputs(args);
    const inputs = new Map([...given].map(([n, t]) => [n, new HostTensor(t.type, t.data.slice())]));
    const spec = await specFor(signatureOf(inputs), inputs);
    if (!(spec.exe instanceof WebGpuExecutable))
      throw new KilnError({ message: `${name}.profile() times WebGPU kernels, but ${name} runs on the CPU interpreter (${resolved?.reason ?? 'no backend'})` });
    if (checks !== 'off') checkIndices(spec, inputs);
    return spec.exe.profileKernels(Object.fromEntries(inputs));
  };

  const call = (args: JitArgs<I>): Promise<JitOutputs<R>> => {
    let inputs: Map<string, HostTensor>;
    try {
      inputs = hostInputs(args);
    } catch (e) {
      return Promise.reject(e);
    }
    const key = signatureOf(inputs);
    // The common case stays synchronous up to exe.run, so calls run on the device in call order.
    if (resolved !== undefined && store !== undefined && !pending.has(key)) {
      const spec = lookup(key);
      if (spec !== undefined) {
        hits++;
        return noteLoss(runOn(spec, inputs));
      }
    }
    return noteLoss(slow(key, inputs));
  };

  // defineProperties, not Object.assign: assign would read the getters once, at creation.
  return Object.defineProperties(call, {
    cacheInfo: { value: (): CacheInfo => ({ hits, misses, size: order.length, maxSize, entries: [...order].sort((a, b) => a.seq - b.seq).map((s) => s.info) }) },
    backend: { get: () => resolved?.name },
    backendReason: { get: () => resolved?.reason },
    lastCompiled: { get: () => lastCompiled },
    profile: { value: profile },
    clearCache: { value: (): void => order.slice().forEach(evict) },
    dispose: {
      value: (): void => {
        disposed = true;
        order.slice().forEach(evict);
      },
    },
  }) as JitFunction<I, R>;
}

function checkIndices(spec: Specialization, inputs: ReadonlyMap<string, HostTensor>): void {
  for (const c of spec.indexChecks) {
    const data = inputs.get(c.input)?.data;
    if (data === undefined) continue;
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v >= 0 && v < c.bound) continue;
      throw new KilnError({
        op: c.op,
        message: `${c.what} ${v} at element ${i} of input '${c.input}' is out of range: expected 0 ≤ ${c.what} < ${c.bound}${c.loc !== undefined ? ` (used at ${formatSourceLoc(c.loc)})` : ''}; nothing was computed (k.jit checks: 'off' skips this check)`,
        value: `%${c.input}`,
      });
    }
  }
}

/**
 * checks: 'nan' — snapshots the state, runs, and when an output or a new state value holds NaN or
 * Inf, restores the state and re-runs the traced graph op by op on the CPU interpreter to name
 * the first op (and the user's line) that produced it.
 */
async function runCheckingNaN(spec: Specialization, given: Record<string, HostInput>, store: StateStore, name: string): Promise<Record<string, RuntimeHostTensor>> {
  const before = await Promise.all(spec.bindings.map((b) => store.read(b.slot)));
  const outs = await spec.exe.run(given);
  const after = await Promise.all(spec.bindings.map((b) => store.read(b.slot)));
  if (!hasNonFinite([...Object.values(outs), ...after])) return outs;
  await Promise.all(spec.bindings.map((b, i) => store.write(b.slot, before[i]!)));
  const graph = spec.traced.graph;
  const stateByName = new Map(spec.bindings.map((b, i) => [b.name, before[i]!]));
  const values = graph.inputs.map((inp) => {
    const v = inp.state ? stateByName.get(inp.name) : given[inp.name];
    if (v === undefined || typeof v === 'number' || !('type' in v)) throw new KilnError({ message: `internal: no value for %${inp.name} in the NaN check` });
    return v;
  });
  const site = locateNonFinite(graph, values);
  if (site === undefined) return outs;
  throw nonFiniteError(site, graph, `${name} (checks: 'nan'; the state was restored to its value before this call)`);
}
