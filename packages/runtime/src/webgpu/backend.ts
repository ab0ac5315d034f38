// The WebGPU Backend: acquires a device on first use (or takes one), outlines graphs that are
// not in fused form (passes' outline, for this device's limits), builds the plan inside error scopes and returns a WebGpuExecutable.

import { KilnError, verifyOrThrow, type Graph } from '@kiln/ir';
import { kernelScheduleProblem, type DeviceLimits, type GenerateOptions } from '@kiln/codegen-wgsl';
import { outline } from '@kiln/passes';
import type { Backend, CompileOptions } from '../backend.js';
import { buildPlan, type BufferSlice, type Plan } from './compile-plan.js';
import { requestWebGpuDevice, type WebGpuDeviceInfo, type WebGpuDeviceOptions } from './device.js';
import { watchFor } from './errors.js';
import { WebGpuExecutable } from './executable.js';
import { GpuStateStore } from './gpu-state.js';
import { configurePipelineCache, type PipelineCacheLimits } from './pipelines.js';
import { chooseForced, chooseFromCache, type ChooseSchedule } from '../tune/apply.js';
import type { TuneEntries, TuneEntry, TuneStore } from '../tune/cache-format.js';
import { adapterIdentity } from '../tune/signature.js';
import { tuneGraph, type ScheduleChoices, type TuneReportRow } from '../tune/tuner.js';

export interface WebGpuBackendOptions {
  /** A device to use (shared between backends); acquired with requestWebGpuDevice when absent. */
  readonly device?: WebGpuDeviceInfo | Promise<WebGpuDeviceInfo>;
  readonly deviceOptions?: WebGpuDeviceOptions;
  /** Codegen choices (forced template variants, workgroup sizes). */
  readonly codegen?: GenerateOptions;
  /** Bounds of the device's pipeline cache (shared by every backend on that device), set on first use. */
  readonly pipelineCache?: Partial<PipelineCacheLimits>;
  /** Where tuned schedules persist (default: the environment's store, `#tune-store`). */
  readonly tuneStore?: TuneStore;
  /** Schedules forced by signature, overriding the cache and the `tune` option (the tuner's own compiles). */
  readonly schedules?: ScheduleChoices;
}

export interface WebGpuBackend extends Backend {
  readonly name: 'webgpu';
  compile(graph: Graph, opts?: CompileOptions): Promise<WebGpuExecutable>;
  /** The device in use (acquiring it if needed). */
  deviceInfo(): Promise<WebGpuDeviceInfo>;
  /** Tunes the graph's kernels on this device, saves the winners to the tune store, reports before/after. */
  tune(graph: Graph, mode: 'quick' | 'full', opts?: TuneCallOptions): Promise<TuneReportRow[]>;
}

export interface TuneCallOptions {
  /**
   * Skip signatures the store already holds for this adapter ('quick': any entry; 'full': a
   * 'full' entry), so compiling with tune: 'quick' twice measures once. Default: re-tune all.
   */
  readonly onlyMissing?: boolean;
}

/**
 * Signatures a `mode` tune need not measure again: what the cache holds from a search at least as
 * wide, with a schedule legal on these limits (a stale one is re-tuned).
 */
function alreadyTuned(entries: TuneEntries, adapter: string, mode: 'quick' | 'full', limits: DeviceLimits): Set<string> {
  const mine = entries[adapter] ?? {};
  const usable = (e: TuneEntry): boolean => (mode === 'quick' || e.mode === 'full') && (e.schedule === 'default' || kernelScheduleProblem(e.schedule, limits) === undefined);
  return new Set(
    Object.entries(mine)
      .filter(([, e]) => usable(e))
      .map(([sig]) => sig),
  );
}

export function createWebGpuBackend(opts: WebGpuBackendOptions = {}): WebGpuBackend {
  let device: Promise<WebGpuDeviceInfo> | undefined;
  const acquire = async (): Promise<WebGpuDeviceInfo> => {
    const info = await (opts.device ?? requestWebGpuDevice(opts.deviceOptions));
    if (opts.pipelineCache !== undefined) configurePipelineCache(info.device, opts.pipelineCache);
    return info;
  };
  const deviceInfo = (): Promise<WebGpuDeviceInfo> => (device ??= acquire());
  let store: Promise<TuneStore> | undefined;
  const tuneStore = (): Promise<TuneStore> => (store ??= opts.tuneStore !== undefined ? Promise.resolve(opts.tuneStore) : import('#tune-store').then((m) => m.defaultTuneStore()));
  const tune = async (graph: Graph, mode: 'quick' | 'full', topts: TuneCallOptions = {}): Promise<TuneReportRow[]> => {
    verifyOrThrow(graph);
    const info = await deviceInfo();
    const fused = outline(graph, { deviceLimits: info.limits });
    const adapter = adapterIdentity(info);
    const skip = topts.onlyMissing === true ? alreadyTuned(await (await tuneStore()).load(), adapter, mode, info.limits) : new Set<string>();
    const rows = await tuneGraph(fused, mode, info.limits, (schedules) => createWebGpuBackend({ ...opts, device: info, schedules }).compile(fused, { tune: 'off' }), skip);
    if (rows.length > 0) await (await tuneStore()).save({ [adapter]: Object.fromEntries(rows.map((r) => [r.signature, r.entry])) });
    return rows;
  };
  /** How this compile picks schedules: forced ones, else the cache (after tuning, if asked), else none. */
  const chooser = async (graph: Graph, info: WebGpuDeviceInfo, mode: CompileOptions['tune']): Promise<ChooseSchedule | undefined> => {
    if (opts.schedules !== undefined) return chooseForced(opts.schedules);
    const m = mode ?? 'cached';
    switch (m) {
      case 'off':
        return undefined;
      case 'quick':
      case 'full':
        // Signatures already in the cache are used as they are: compiling twice tunes once.
        await tune(graph, m, { onlyMissing: true });
        break;
      case 'cached':
        break;
      default: {
        const never: never = m;
        throw new KilnError({ message: `unknown tune mode '${String(never)}' (expected 'off', 'cached', 'quick' or 'full')` });
      }
    }
    return chooseFromCache(await (await tuneStore()).load(), adapterIdentity(info), info.limits);
  };
  return {
    name: 'webgpu',
    deviceInfo,
    tune,
    async compile(graph: Graph, copts: CompileOptions = {}): Promise<WebGpuExecutable> {
      if (copts.precision === 'f64') throw new KilnError({ message: `the WebGPU backend computes in f32 only (precision 'f64' requested for @${graph.name})` });
      verifyOrThrow(graph);
      const info = await deviceInfo();
      const fused = outline(graph, { deviceLimits: info.limits });
      const choose = await chooser(graph, info, copts.tune);
      const watch = watchFor(info.device);
      watch.throwIfLost();
      const store = copts.store;
      if (store !== undefined && !(store instanceof GpuStateStore && store.info.device === info.device))
        throw new KilnError({ message: `@${graph.name}: the WebGPU backend can bind only state held on its own device (got a ${store.backend} store)` });
      const bound = new Map<string, BufferSlice>();
      for (const [name, slot] of Object.entries(copts.bindings ?? {})) {
        const inp = fused.inputs.find((i) => i.state && i.name === name);
        if (inp === undefined) throw new KilnError({ message: `state slot given for %${name}, which is not a state input of @${graph.name}`, value: `%${name}` });
        if (store === undefined) throw new KilnError({ message: `@${graph.name}: state %${name} is bound to a slot, but no store was given` });
        if (slot.type.dtype !== inp.type.dtype || slot.type.shape.join() !== inp.type.shape.join())
          throw new KilnError({
            message: `@${graph.name}: state %${name} is ${inp.type.dtype}[${inp.type.shape.join(',')}], its slot ${slot.label} is ${slot.type.dtype}[${slot.type.shape.join(',')}]`,
            value: `%${name}`,
          });
        bound.set(name, store.slice(slot));
      }
      // One compile at a time per device: its error scopes stay open across awaits (pipeline
      // creation), and another compile's errors must not land in them.
      const plan = await watch.exclusive(async () => {
        watch.throwIfLost();
        watch.push();
        let built: Plan;
        try {
          built = await buildPlan(info, fused, opts.codegen ?? {}, bound, choose);
        } catch (e) {
          await watch.pop(`compiling @${graph.name}`).catch(() => undefined);
          // A device call that threw (an allocation the driver refused, say) is named, not rethrown raw.
          throw watch.asKilnError(e, `compiling @${graph.name}`);
        }
        try {
          await watch.pop(`compiling @${graph.name}`);
        } catch (e) {
          // A failed compile (out of memory, say) keeps nothing on the device.
          for (const b of built.owned) b.destroy();
          throw e;
        }
        return built;
      });
      const exe = new WebGpuExecutable(fused, info, plan, watch, store);
      const initial = copts.state ?? {};
      for (const name of Object.keys(initial)) {
        if (!exe.stateNames.includes(name)) throw new KilnError({ message: `initial state given for %${name}, which is not a state input of @${graph.name}`, value: `%${name}` });
        exe.setState(name, initial[name]!);
      }
      return exe;
    },
  };
}
