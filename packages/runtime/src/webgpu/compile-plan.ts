// compile(): fused graph → a replayable plan. Buffers follow the memory plan when the graph
// carries one (plan-memory annotations): transients are slices of one arena buffer, a state
// updated in place is written straight into its own buffer, every other input and output gets a
// buffer of its own; unplanned graphs get one buffer per value. Every call node gets one
// generated kernel (codegen's generateGraph places the values and generates them), a cached
// pipeline and a bind group built once.

import { KilnError, elementAt, mapGet, numel, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import { ARENA, generateGraph, scheduleOptions, type GenerateOptions, type GeneratedKernel, type Grid, type KernelOverrides } from '@kiln/codegen-wgsl';
import { BufferUsage } from './gpu-consts.js';
import { bufferBytes } from './host-transfer.js';
import { isSoftwareAdapter, type WebGpuDeviceInfo } from './device.js';
import { getPipeline } from './pipelines.js';
import { annotateKernel, type ChooseSchedule } from '../tune/apply.js';

/** Bytes [offset, offset + size) of a GPU buffer holding one value. */
export interface BufferSlice {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

export interface PlanStep {
  readonly kernel: GeneratedKernel;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly grid: Grid;
  /** Bytes to zero before the step runs (scatter_add accumulates into them). */
  readonly clear?: BufferSlice;
}

export interface Plan {
  readonly slices: ReadonlyMap<ValueId, BufferSlice>;
  readonly types: ReadonlyMap<ValueId, TensorType>;
  readonly steps: readonly PlanStep[];
  /** Every buffer the plan owns (values, arena, constant pools), each once. */
  readonly owned: readonly GPUBuffer[];
  /** Bytes of GPU memory the plan allocated, and the arena's share of them. */
  readonly bytes: { readonly total: number; readonly arena: number };
}

const VALUE_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

export function createValueBuffer(device: GPUDevice, type: TensorType, label: string): GPUBuffer {
  return device.createBuffer({ label, size: bufferBytes(type), usage: VALUE_USAGE });
}

function checkSize(bytes: number, what: string, info: WebGpuDeviceInfo): void {
  const max = Math.min(info.device.limits.maxBufferSize, info.limits.maxStorageBufferBindingSize);
  if (bytes > max) throw new KilnError({ message: `${what} needs ${bytes} bytes of GPU memory, more than this device allows in one buffer (${max} bytes on ${info.description})` });
}

/**
 * `bound` gives storage the plan must use (and does not own) for some state inputs, by name: the
 * buffers of a shared state store.
 */
export async function buildPlan(
  info: WebGpuDeviceInfo,
  graph: Graph,
  codegen: GenerateOptions,
  bound: ReadonlyMap<string, BufferSlice> = new Map(),
  choose?: ChooseSchedule,
): Promise<Plan> {
  const owned: GPUBuffer[] = [];
  try {
    return await buildPlanInto(owned, info, graph, codegen, bound, choose);
  } catch (e) {
    // A compile that fails part-way (a refused allocation, a WGSL error) keeps nothing on the device.
    for (const b of owned) b.destroy();
    throw e;
  }
}

/** buildPlan, recording every buffer it creates in `owned` as it goes. */
async function buildPlanInto(
  owned: GPUBuffer[],
  info: WebGpuDeviceInfo,
  graph: Graph,
  codegen: GenerateOptions,
  bound: ReadonlyMap<string, BufferSlice>,
  choose: ChooseSchedule | undefined,
): Promise<Plan> {
  const device = info.device;
  const codegenHere = {
    ...codegen,
    subgroups: codegen.subgroups ?? info.device.features.has('subgroups'),
    // Codegen's defaults for CPU-emulated adapters (see GenerateOptions.softwareAdapter).
    softwareAdapter: codegen.softwareAdapter ?? isSoftwareAdapter(info),
  };
  const placed = generateGraph(graph, info.limits, codegenHere, choose === undefined ? undefined : tunedOverrides(choose));
  const kernels = placed.kernels;
  const own = (type: TensorType, label: string): BufferSlice => {
    checkSize(bufferBytes(type), label, info);
    const buffer = createValueBuffer(device, type, label);
    owned.push(buffer);
    return { buffer, offset: 0, size: bufferBytes(type) };
  };
  // The GPU storage behind each symbolic buffer of the placement.
  const bases = new Map<string, BufferSlice>();
  const types = new Map<ValueId, TensorType>();
  for (const inp of graph.inputs) {
    bases.set(`%${inp.name}`, (inp.state ? bound.get(inp.name) : undefined) ?? own(inp.type, `%${inp.name}`));
    types.set(inp.id, inp.type);
  }
  if (placed.arenaBytes > 0) {
    checkSize(placed.arenaBytes, `the transient arena of @${graph.name}`, info);
    const arena = device.createBuffer({ label: `@${graph.name} arena`, size: placed.arenaBytes, usage: VALUE_USAGE });
    owned.push(arena);
    bases.set(ARENA, { buffer: arena, offset: 0, size: placed.arenaBytes });
  }
  for (const node of graph.nodes) {
    types.set(node.id, node.type);
    const p = mapGet(placed.placement, node.id, `the placement of @${graph.name}`);
    if (!bases.has(p.buffer)) bases.set(p.buffer, own(node.type, `@${node.op === 'call' ? node.attrs.callee : node.op}`));
  }
  const slices = new Map<ValueId, BufferSlice>();
  for (const [v, p] of placed.placement) {
    const base = mapGet(bases, p.buffer, `the buffers of @${graph.name}`);
    slices.set(v, { buffer: base.buffer, offset: base.offset + p.offset, size: p.size });
  }
  const pipelines = await Promise.all(kernels.map((k) => getPipeline(device, k)));
  const steps = graph.nodes.map((node, s): PlanStep => {
    const kernel = elementAt(kernels, s, 'generated kernels');
    const cached = elementAt(pipelines, s, 'pipelines');
    const out = mapGet(slices, node.id, `the buffer slices of @${graph.name}`);
    const entries: GPUBindGroupEntry[] = [];
    for (const b of kernel.bindings.all) {
      let slice: BufferSlice;
      if (b.role === 'input') {
        if (b.input === undefined) throw new KilnError({ message: `internal: kernel @${kernel.name}: an input binding has no input index` });
        slice = mapGet(slices, elementAt(node.operands, b.input, `operands of the call of @${kernel.name}`), `the buffer slices of @${graph.name}`);
      } else if (b.role === 'output') slice = out;
      else {
        const words = kernel.constants ?? new Uint32Array(0);
        const buffer = device.createBuffer({
          label: `@${kernel.name} constants`,
          size: Math.max(16, Math.ceil((words.length * 4) / 16) * 16),
          usage: BufferUsage.STORAGE | BufferUsage.COPY_DST,
        });
        device.queue.writeBuffer(buffer, 0, words);
        owned.push(buffer);
        slice = { buffer, offset: 0, size: buffer.size };
      }
      entries.push({ binding: b.binding, resource: { buffer: slice.buffer, offset: slice.offset, size: slice.size } });
    }
    const bindGroup = device.createBindGroup({ label: kernel.name, layout: cached.layout, entries });
    return { kernel, pipeline: cached.pipeline, bindGroup, grid: kernel.dispatch(), ...(kernel.zeroOutput ? { clear: out } : {}) };
  });
  const total = owned.reduce((a, b) => a + b.size, 0);
  return { slices, types, steps, owned, bytes: { total, arena: placed.arenaBytes } };
}

/** Codegen overrides from tuned schedules: the chosen GEMM schedule, and its note in the kernel. */
function tunedOverrides(choose: ChooseSchedule): KernelOverrides {
  return (kernel) => {
    const choice = choose(kernel);
    return choice === undefined ? undefined : { options: scheduleOptions(choice.schedule), finish: (generated) => annotateKernel(generated, choice.note) };
  };
}

/** True when the grid launches no workgroups (an empty tensor). */
export function isEmptyGrid(grid: Grid): boolean {
  return grid[0] === 0 || grid[1] === 0 || grid[2] === 0;
}

export function elementCount(type: TensorType): number {
  return numel(type.shape);
}
