// A compiled graph on the GPU. run(): upload inputs, record ONE command encoder (the dispatches in
// order, in one compute pass split only where scatter outputs are cleared, output readback copies,
// state-update copies unless updated in place), one submit, then map only the requested outputs.
// State lives in GPU buffers across runs.

import { KilnError, numel, type Graph, type GraphInput, type ValueId } from '@kiln/ir';
import type { GeneratedKernel } from '@kiln/codegen-wgsl';
import { checkHostInput, checkInputRecord, type Executable } from '../backend.js';
import type { HostInput, HostTensor } from '@kiln/ir';
import { isEmptyGrid, type BufferSlice, type Plan } from './compile-plan.js';
import type { WebGpuDeviceInfo } from './device.js';
import { GpuErrorWatch } from './errors.js';
import type { GpuStateStore } from './gpu-state.js';
import { BufferUsage, MapMode } from './gpu-consts.js';
import { bufferBytes, downloadTensor, uploadWords } from './host-transfer.js';

/** Wall time of one kernel measured by profileKernels. */
export interface KernelTiming {
  readonly kernel: string;
  readonly template: string;
  readonly grid: readonly [number, number, number];
  readonly ms: number;
}

/** Where a time comes from: the GPU's own timestamps, or the host clock around submit-and-wait. */
export type KernelTimingSource = 'timestamp-query' | 'wall-clock';

export class WebGpuExecutable implements Executable {
  readonly stateNames: readonly string[];
  /** Dispatches recorded by each run: one per fused kernel with a non-empty grid. */
  readonly dispatchesPerRun: number;
  /** Dispatches recorded by the latest run (equals dispatchesPerRun once a run has happened). */
  lastRunDispatches = 0;
  private readonly device: GPUDevice;
  private readonly stateInputs: ReadonlyMap<string, GraphInput>;
  private readonly readbacks = new Map<ValueId, GPUBuffer>();
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** A device error from work that had no caller to tell (setState), thrown by the next call. */
  private deferred: KilnError | undefined;

  constructor(
    readonly graph: Graph,
    readonly info: WebGpuDeviceInfo,
    private readonly plan: Plan,
    private readonly watch: GpuErrorWatch,
    /** The shared state store some state inputs are bound to: runs queue on it. */
    private readonly store?: GpuStateStore,
  ) {
    this.device = info.device;
    const states = graph.inputs.filter((i) => i.state);
    this.stateNames = states.map((i) => i.name);
    this.stateInputs = new Map(states.map((i) => [i.name, i]));
    this.dispatchesPerRun = plan.steps.filter((s) => !isEmptyGrid(s.grid)).length;
  }

  /** GPU bytes this executable allocated (all buffers), and the transient arena's share. */
  get memoryBytes(): { readonly total: number; readonly arena: number } {
    return this.plan.bytes;
  }

  /** How gpuTimeMs and gpuKernelsTimeMs measure: 'timestamp-query' where the device has it, else they cannot ('wall-clock' callers time themselves). */
  get timing(): KernelTimingSource {
    return this.device.features.has('timestamp-query') ? 'timestamp-query' : 'wall-clock';
  }

  /** The generated kernels, in dispatch order (for tests and diagnostics). */
  get kernels(): readonly GeneratedKernel[] {
    return this.plan.steps.map((s) => s.kernel);
  }

  run(inputs: Readonly<Record<string, HostInput>>): Promise<Record<string, HostTensor>> {
    // Converted (and copied) now: a caller refilling its arrays after run() cannot change this run.
    let words: ReadonlyMap<string, GpuWords>;
    try {
      this.checkLive();
      checkInputRecord(inputs, `run of @${this.graph.name}`);
      words = this.inputWords(inputs, true);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.serialize(() => this.runNow(words));
  }

  getState(name: string): Promise<HostTensor> {
    try {
      this.checkLive();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.serialize(async () => {
      // Again when its turn comes: a dispose queued before it wins (no read of destroyed buffers).
      this.checkLive();
      const inp = this.stateInput(name);
      const [t] = await this.download([{ value: inp.id, src: this.buffer(inp.id) }]);
      return t!;
    });
  }

  setState(name: string, value: HostInput): void {
    this.checkLive();
    checkHostInput(value, `setState %${name} of @${this.graph.name}`);
    const inp = this.stateInput(name);
    const slice = this.buffer(inp.id);
    const words = uploadWords(value, inp.type, `state %${name}`);
    this.watch.push();
    this.device.queue.writeBuffer(slice.buffer, slice.offset, words);
    // setState returns nothing: a device error here is reported by the next call on this executable.
    this.watch.pop(`setting state %${name} of @${this.graph.name}`).catch((e: unknown) => {
      this.deferred ??= this.watch.asKilnError(e, `setting state %${name} of @${this.graph.name}`);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.plan.owned) b.destroy();
    for (const b of this.readbacks.values()) b.destroy();
    this.readbacks.clear();
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    if (this.store !== undefined) return this.store.serialize(task);
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * For benchmarks: uploads the non-state inputs given (the others keep their last upload), then
   * records the plan `times` times into one command encoder and one submit, with no readback, and
   * resolves when the GPU has finished. State updates apply after each repetition, as in `times`
   * calls of run().
   */
  runRepeated(times: number, inputs: Readonly<Record<string, HostInput>> = {}): Promise<void> {
    return this.serialize(async () => {
      this.checkLive();
      // Converted before the scope opens: a bad input must not leave a scope open on the device.
      const words = this.inputWords(inputs, false);
      this.watch.push();
      this.writeInputs(words);
      const enc = this.device.createCommandEncoder({ label: `${this.graph.name} x${times}` });
      this.lastRunDispatches = this.recordRuns(enc, times);
      this.device.queue.submit([enc.finish()]);
      const popped = this.watch.pop(`running @${this.graph.name} ${times} times`);
      await this.device.queue.onSubmittedWorkDone();
      await popped;
    });
  }

  /**
   * For the tuner: records only the dispatches of the named kernels, `times` over, in one submit
   * (no uploads, no state updates: they read whatever the last run left in their buffers), and
   * resolves when the GPU has finished. Returns the dispatches recorded per repetition.
   */
  runKernelsRepeated(kernels: ReadonlySet<string>, times: number): Promise<number> {
    return this.serialize(async () => {
      this.checkLive();
      this.watch.push();
      const enc = this.device.createCommandEncoder({ label: `${this.graph.name} kernels x${times}` });
      const dispatches = this.recordDispatches(enc, kernels, times);
      this.device.queue.submit([enc.finish()]);
      const popped = this.watch.pop(`running kernels of @${this.graph.name} ${times} times`);
      await this.device.queue.onSubmittedWorkDone();
      await popped;
      return dispatches;
    });
  }

  /**
   * For profiling: runs one step with each kernel in its own submit, waiting for the GPU after
   * each, and returns the wall time per kernel. Without timestamp queries this is the only honest
   * per-kernel split; submit overhead (~tens of µs) is included in every entry.
   */
  profileKernels(inputs: Readonly<Record<string, HostInput>> = {}): Promise<KernelTiming[]> {
    return this.serialize(async () => {
      this.checkLive();
      // Converted before the scope opens: a bad input must not leave a scope open on the device.
      const words = this.inputWords(inputs, false);
      this.watch.push();
      this.writeInputs(words);
      await this.watch.pop(`uploading inputs of @${this.graph.name}`);
      const timings: KernelTiming[] = [];
      for (const step of this.plan.steps) {
        if (isEmptyGrid(step.grid)) continue;
        const enc = this.device.createCommandEncoder({ label: `profile ${step.kernel.name}` });
        if (step.clear !== undefined) enc.clearBuffer(step.clear.buffer, step.clear.offset, step.clear.size);
        const pass = enc.beginComputePass({ label: step.kernel.name });
        pass.setPipeline(step.pipeline);
        pass.setBindGroup(0, step.bindGroup);
        pass.dispatchWorkgroups(step.grid[0], step.grid[1], step.grid[2]);
        pass.end();
        const start = performance.now();
        // A scope per submit: none may stay open across the awaits (other steps share the stack).
        this.watch.push();
        this.device.queue.submit([enc.finish()]);
        const popped = this.watch.pop(`profiling @${this.graph.name}`);
        await this.device.queue.onSubmittedWorkDone();
        await popped;
        timings.push({ kernel: step.kernel.name, template: step.kernel.template, grid: step.grid, ms: performance.now() - start });
      }
      const enc = this.device.createCommandEncoder({ label: `${this.graph.name} state` });
      this.recordStateUpdates(enc);
      this.watch.push();
      this.device.queue.submit([enc.finish()]);
      const popped = this.watch.pop(`profiling @${this.graph.name}`);
      await this.device.queue.onSubmittedWorkDone();
      await popped;
      return timings;
    });
  }

  /**
   * GPU-busy time per run from timestamp queries: `times` runs recorded between two timestamped
   * empty passes in one submit (inputs as for runRepeated). Undefined when the device has no
   * 'timestamp-query' feature.
   */
  gpuTimeMs(times: number, inputs: Readonly<Record<string, HostInput>> = {}): Promise<number | undefined> {
    return this.serialize(async () => {
      this.checkLive();
      if (this.timing !== 'timestamp-query') return undefined;
      // Converted before the scope opens: a bad input must not leave a scope open on the device.
      const words = this.inputWords(inputs, false);
      this.watch.push();
      this.writeInputs(words);
      return this.timestamped(`timed x${times}`, times, (enc) => void this.recordRuns(enc, times));
    });
  }

  /**
   * For the tuner on devices with 'timestamp-query': GPU-busy time per repetition of only the
   * named kernels' dispatches (as runKernelsRepeated records them), `times` over in one submit.
   * Undefined without the feature.
   */
  gpuKernelsTimeMs(kernels: ReadonlySet<string>, times: number): Promise<number | undefined> {
    return this.serialize(async () => {
      this.checkLive();
      if (this.timing !== 'timestamp-query') return undefined;
      this.watch.push();
      return this.timestamped(`kernels timed x${times}`, times, (enc) => void this.recordDispatches(enc, kernels, times));
    });
  }

  /** Records `record` between two timestamped empty passes, submits, and closes the scopes push opened. */
  private async timestamped(label: string, times: number, record: (enc: GPUCommandEncoder) => void): Promise<number> {
    const querySet = this.device.createQuerySet({ type: 'timestamp', count: 2 });
    const resolve = this.device.createBuffer({ size: 16, usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC });
    const readback = this.device.createBuffer({ size: 16, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    try {
      const enc = this.device.createCommandEncoder({ label: `${this.graph.name} ${label}` });
      enc.beginComputePass({ timestampWrites: { querySet, beginningOfPassWriteIndex: 0 } }).end();
      record(enc);
      enc.beginComputePass({ timestampWrites: { querySet, endOfPassWriteIndex: 1 } }).end();
      enc.resolveQuerySet(querySet, 0, 2, resolve, 0);
      enc.copyBufferToBuffer(resolve, 0, readback, 0, 16);
      this.device.queue.submit([enc.finish()]);
      await this.watch.pop(`timing @${this.graph.name}`);
      await readback.mapAsync(MapMode.READ);
      const [t0, t1] = new BigUint64Array(readback.getMappedRange().slice(0));
      readback.unmap();
      if (t0 === undefined || t1 === undefined) throw new KilnError({ message: 'internal: the timestamp readback holds fewer than two timestamps' });
      return Number(t1 - t0) / 1e6 / times;
    } finally {
      querySet.destroy();
      resolve.destroy();
      readback.destroy();
    }
  }

  /** Each given non-state input as the 32-bit words its buffer takes, in arrays of their own. */
  private inputWords(inputs: Readonly<Record<string, HostInput>>, requireAll: boolean): Map<string, GpuWords> {
    const out = new Map<string, GpuWords>();
    for (const inp of this.graph.inputs) {
      if (inp.state) {
        if (inp.name in inputs) throw new KilnError({ message: `%${inp.name} is a state input: set it with setState, not run`, value: `%${inp.name}` });
        continue;
      }
      const v = inputs[inp.name];
      if (v === undefined) {
        if (!requireAll) continue;
        throw new KilnError({ message: `missing input %${inp.name} (${inp.type.dtype}[${inp.type.shape.join(',')}])`, value: `%${inp.name}` });
      }
      const words = uploadWords(v, inp.type, `input %${inp.name}`);
      out.set(inp.name, isCallerArray(words, v) ? words.slice() : words);
    }
    return out;
  }

  private writeInputs(words: ReadonlyMap<string, GpuWords>): void {
    for (const inp of this.graph.inputs) {
      const w = words.get(inp.name);
      if (w === undefined || inp.state) continue;
      const slice = this.buffer(inp.id);
      this.device.queue.writeBuffer(slice.buffer, slice.offset, w);
    }
  }

  /** `times` whole runs without readback (dispatches, then state updates, each time); returns dispatches per run. */
  private recordRuns(enc: GPUCommandEncoder, times: number): number {
    // Without state copies between runs, all runs' dispatches go into one compute pass (a pass per
    // run costs Dawn's OpenGL ES backend ~15% of a small elementwise kernel); WebGPU orders the
    // dispatches of a pass as it orders passes, so every run still reads what the last one wrote.
    if (this.stateCopies().length === 0) return this.recordDispatches(enc, undefined, times);
    let dispatches = 0;
    for (let r = 0; r < times; r++) {
      dispatches = this.recordDispatches(enc);
      this.recordStateUpdates(enc);
    }
    return dispatches;
  }

  /** The state outputs a run must copy into their state's buffer (those not updated in place), with both slices. */
  private stateCopies(): { readonly value: ValueId; readonly input: GraphInput; readonly src: BufferSlice; readonly dst: BufferSlice }[] {
    const copies: { value: ValueId; input: GraphInput; src: BufferSlice; dst: BufferSlice }[] = [];
    for (const o of this.graph.outputs) {
      if (!o.updatesState) continue;
      const input = this.stateInput(o.name);
      if (o.value === input.id) continue;
      const src = this.buffer(o.value);
      const dst = this.buffer(input.id);
      // Updated in place by its kernel (memory plan): nothing to copy.
      if (src.buffer === dst.buffer && src.offset === dst.offset) continue;
      copies.push({ value: o.value, input, src, dst });
    }
    return copies;
  }

  /**
   * Every non-empty dispatch in order, in one compute pass, except that a kernel whose output must
   * start zeroed (scatter_add) gets its bytes cleared right before it: with arena reuse those bytes
   * held other transients earlier in the step. Returns the dispatch count of one repetition.
   * `only`: just those kernels; `times`: repetitions of the sequence, sharing the pass.
   */
  private recordDispatches(enc: GPUCommandEncoder, only?: ReadonlySet<string>, times = 1): number {
    let pass: GPUComputePassEncoder | undefined;
    let dispatches = 0;
    for (let r = 0; r < times; r++) {
      dispatches = 0;
      for (const step of this.plan.steps) {
        if (isEmptyGrid(step.grid) || (only !== undefined && !only.has(step.kernel.name))) continue;
        if (step.clear !== undefined) {
          pass?.end();
          pass = undefined;
          enc.clearBuffer(step.clear.buffer, step.clear.offset, step.clear.size);
        }
        pass ??= enc.beginComputePass({ label: this.graph.name });
        pass.setPipeline(step.pipeline);
        pass.setBindGroup(0, step.bindGroup);
        pass.dispatchWorkgroups(step.grid[0], step.grid[1], step.grid[2]);
        dispatches++;
      }
    }
    pass?.end();
    return dispatches;
  }

  private async runNow(words: ReadonlyMap<string, GpuWords>): Promise<Record<string, HostTensor>> {
    this.checkLive();
    this.watch.push();
    this.writeInputs(words);
    const enc = this.device.createCommandEncoder({ label: this.graph.name });
    const dispatches = this.recordDispatches(enc);
    const wanted = this.graph.outputs.filter((o) => !o.updatesState);
    const reads = wanted.map((o) => ({ value: o.value, src: this.buffer(o.value) }));
    for (const r of reads) this.copyToReadback(enc, r.value, r.src);
    this.recordStateUpdates(enc);
    this.device.queue.submit([enc.finish()]);
    await this.watch.pop(`running @${this.graph.name}`);
    this.lastRunDispatches = dispatches;
    const tensors = await this.mapReadbacks(reads.map((r) => r.value));
    const result: Record<string, HostTensor> = {};
    wanted.forEach((o, i) => {
      result[o.name] = tensors[i]!;
    });
    return result;
  }

  /**
   * Copies each updatesState output into its state buffer. Sources that are themselves graph
   * inputs (a swap of two states, say) go through a temporary first so no copy reads a buffer
   * an earlier copy in the same step already overwrote.
   */
  private recordStateUpdates(enc: GPUCommandEncoder): void {
    const inputIds = new Set(this.graph.inputs.map((i) => i.id));
    const staged: { src: BufferSlice; dst: BufferSlice; bytes: number; temp: boolean }[] = [];
    for (const c of this.stateCopies()) {
      let src = c.src;
      let temp = false;
      if (inputIds.has(c.value)) {
        const t = this.device.createBuffer({ size: src.size, usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
        enc.copyBufferToBuffer(src.buffer, src.offset, t, 0, src.size);
        src = { buffer: t, offset: 0, size: src.size };
        temp = true;
      }
      staged.push({ src, dst: c.dst, bytes: bufferBytes(c.input.type), temp });
    }
    for (const s of staged) enc.copyBufferToBuffer(s.src.buffer, s.src.offset, s.dst.buffer, s.dst.offset, s.bytes);
    // Destroying after submit is safe: WebGPU keeps buffers alive for submitted work.
    if (staged.some((s) => s.temp)) queueMicrotask(() => staged.filter((s) => s.temp).forEach((s) => s.src.buffer.destroy()));
  }

  private copyToReadback(enc: GPUCommandEncoder, value: ValueId, src: BufferSlice): void {
    const type = this.plan.types.get(value)!;
    if (numel(type.shape) === 0) return;
    let rb = this.readbacks.get(value);
    if (rb === undefined) {
      rb = this.device.createBuffer({ label: 'readback', size: bufferBytes(type), usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
      this.readbacks.set(value, rb);
    }
    enc.copyBufferToBuffer(src.buffer, src.offset, rb, 0, bufferBytes(type));
  }

  private async mapReadbacks(values: readonly ValueId[]): Promise<HostTensor[]> {
    const unique = [...new Set(values)];
    const got = new Map<ValueId, HostTensor>();
    try {
      await Promise.all(
        unique.map(async (v) => {
          const type = this.plan.types.get(v)!;
          const rb = this.readbacks.get(v);
          if (rb === undefined) {
            got.set(v, downloadTensor(new ArrayBuffer(0), type));
            return;
          }
          await rb.mapAsync(MapMode.READ);
          got.set(v, downloadTensor(rb.getMappedRange(), type));
          rb.unmap();
        }),
      );
    } catch (e) {
      throw this.watch.asKilnError(e, `reading results of @${this.graph.name}`);
    }
    return values.map((v) => got.get(v)!);
  }

  private async download(items: readonly { value: ValueId; src: BufferSlice }[]): Promise<HostTensor[]> {
    this.watch.push();
    const enc = this.device.createCommandEncoder();
    for (const it of items) this.copyToReadback(enc, it.value, it.src);
    this.device.queue.submit([enc.finish()]);
    await this.watch.pop(`reading state of @${this.graph.name}`);
    return this.mapReadbacks(items.map((it) => it.value));
  }

  private buffer(v: ValueId): BufferSlice {
    const b = this.plan.slices.get(v);
    if (b === undefined) throw new KilnError({ message: `internal: no buffer for value ${v} of @${this.graph.name}` });
    return b;
  }

  private stateInput(name: string): GraphInput {
    const inp = this.stateInputs.get(name);
    if (inp === undefined) throw new KilnError({ message: `@${this.graph.name} has no state input %${name}`, value: `%${name}` });
    return inp;
  }

  private checkLive(): void {
    if (this.disposed) throw new KilnError({ message: `executable for @${this.graph.name} was disposed` });
    this.watch.throwIfLost();
    const deferred = this.deferred;
    if (deferred !== undefined) {
      this.deferred = undefined;
      throw deferred;
    }
  }
}

type GpuWords = Float32Array | Int32Array | Uint32Array;

/** True when conversion handed back the caller's own array (or a HostTensor's), not a fresh one. */
function isCallerArray(words: GpuWords, given: HostInput): boolean {
  return typeof given === 'object' && (words === given || ('data' in given && words === given.data));
}
