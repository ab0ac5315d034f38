// The WebGPU Backend: acquires a device on first use (or takes one), outlines graphs that are
// not in fused form, builds the plan inside error scopes and returns a WebGpuExecutable.

import { KilnError, verifyOrThrow, type Graph } from '@kiln/ir';
import type { GenerateOptions } from '@kiln/codegen-wgsl';
import type { Backend, CompileOptions } from '../backend.js';
import { buildPlan, type BufferSlice, type Plan } from './compile-plan.js';
import { requestWebGpuDevice, type WebGpuDeviceInfo, type WebGpuDeviceOptions } from './device.js';
import { watchFor } from './errors.js';
import { WebGpuExecutable } from './executable.js';
import { GpuStateStore } from './gpu-state.js';
import { outlineGraph } from './outline.js';
import { configurePipelineCache, type PipelineCacheLimits } from './pipelines.js';

export interface WebGpuBackendOptions {
  /** A device to use (shared between backends); acquired with requestWebGpuDevice when absent. */
  readonly device?: WebGpuDeviceInfo | Promise<WebGpuDeviceInfo>;
  readonly deviceOptions?: WebGpuDeviceOptions;
  /** Codegen choices (forced template variants, workgroup sizes). */
  readonly codegen?: GenerateOptions;
  /** Bounds of the device's pipeline cache (shared by every backend on that device), set on first use. */
  readonly pipelineCache?: Partial<PipelineCacheLimits>;
}

export interface WebGpuBackend extends Backend {
  readonly name: 'webgpu';
  compile(graph: Graph, opts?: CompileOptions): Promise<WebGpuExecutable>;
  /** The device in use (acquiring it if needed). */
  deviceInfo(): Promise<WebGpuDeviceInfo>;
}

export function createWebGpuBackend(opts: WebGpuBackendOptions = {}): WebGpuBackend {
  let device: Promise<WebGpuDeviceInfo> | undefined;
  const acquire = async (): Promise<WebGpuDeviceInfo> => {
    const info = await (opts.device ?? requestWebGpuDevice(opts.deviceOptions));
    if (opts.pipelineCache !== undefined) configurePipelineCache(info.device, opts.pipelineCache);
    return info;
  };
  const deviceInfo = (): Promise<WebGpuDeviceInfo> => (device ??= acquire());
  return {
    name: 'webgpu',
    deviceInfo,
    async compile(graph: Graph, copts: CompileOptions = {}): Promise<WebGpuExecutable> {
      if (copts.precision === 'f64') throw new KilnError({ message: `the WebGPU backend computes in f32 only (precision 'f64' requested for @${graph.name})` });
      verifyOrThrow(graph);
      const fused = outlineGraph(graph);
      const info = await deviceInfo();
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
          throw new KilnError({ message: `@${graph.name}: state %${name} is ${inp.type.dtype}[${inp.type.shape.join(',')}], its slot ${slot.label} is ${slot.type.dtype}[${slot.type.shape.join(',')}]`, value: `%${name}` });
        bound.set(name, store.slice(slot));
      }
      // One compile at a time per device: its error scopes stay open across awaits (pipeline
      // creation), and another compile's errors must not land in them.
      const plan = await watch.exclusive(async () => {
        watch.throwIfLost();
        watch.push();
        let built: Plan;
        try {
          built = await buildPlan(info, fused, opts.codegen ?? {}, bound);
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
        if (!exe.stateNames.includes(name))
          throw new KilnError({ message: `initial state given for %${name}, which is not a state input of @${graph.name}`, value: `%${name}` });
        exe.setState(name, initial[name]!);
      }
      return exe;
    },
  };
}
