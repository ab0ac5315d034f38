// compile(): fused graph → a replayable plan. Buffers follow the memory plan when the graph
// carries one (plan-memory annotations): transients are slices of one arena buffer, a state
// updated in place is written straight into its own buffer, every other input and output gets a
// buffer of its own; unplanned graphs get one buffer per value. Every call node gets one
// generated kernel, a cached pipeline and a bind group built once.

import { GraphIndex, KilnError, numel, type Graph, type Node, type TensorType, type ValueId } from '@kiln/ir';
import { generateKernel, type GenerateOptions, type GeneratedKernel, type Grid, type KernelAliasing } from '@kiln/codegen-wgsl';
import { BufferUsage } from './gpu-consts.js';
import { bufferBytes } from './host-transfer.js';
import type { WebGpuDeviceInfo } from './device.js';
import { getPipeline } from './pipelines.js';

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

/** The arena offset of a planned transient, or undefined when the graph carries no memory plan. */
function arenaOffset(node: Node): number | undefined {
  const a = node.annotations;
  // Empty tensors take no arena bytes in the plan, but a binding needs some: they get their own.
  if (numel(node.type.shape) === 0) return undefined;
  return a?.['buf'] === 0 && typeof a['offset'] === 'number' ? a['offset'] : undefined;
}

function overlaps(a: BufferSlice, b: BufferSlice): boolean {
  return a.buffer === b.buffer && a.offset < b.offset + b.size && b.offset < a.offset + a.size;
}

function sameBytes(a: BufferSlice, b: BufferSlice): boolean {
  return a.buffer === b.buffer && a.offset === b.offset && a.size === b.size;
}

/**
 * `bound` gives storage the plan must use (and does not own) for some state inputs, by name: the
 * buffers of a shared state store.
 */
export async function buildPlan(info: WebGpuDeviceInfo, graph: Graph, codegen: GenerateOptions, bound: ReadonlyMap<string, BufferSlice> = new Map()): Promise<Plan> {
  const device = info.device;
  const index = new GraphIndex(graph);
  const slices = new Map<ValueId, BufferSlice>();
  const types = new Map<ValueId, TensorType>();
  const owned: GPUBuffer[] = [];
  const own = (type: TensorType, label: string): BufferSlice => {
    checkSize(bufferBytes(type), label, info);
    const buffer = createValueBuffer(device, type, label);
    owned.push(buffer);
    return { buffer, offset: 0, size: bufferBytes(type) };
  };
  for (const inp of graph.inputs) {
    const shared = inp.state ? bound.get(inp.name) : undefined;
    slices.set(inp.id, shared ?? own(inp.type, `%${inp.name}`));
    types.set(inp.id, inp.type);
  }
  // The arena spans every planned transient (bindings need 16-byte sizes; offsets are 256-aligned).
  let arenaBytes = 0;
  for (const n of graph.nodes) {
    const off = arenaOffset(n);
    if (off !== undefined) arenaBytes = Math.max(arenaBytes, off + bufferBytes(n.type));
  }
  let arena: GPUBuffer | undefined;
  if (arenaBytes > 0) {
    checkSize(arenaBytes, `the transient arena of @${graph.name}`, info);
    arena = device.createBuffer({ label: `@${graph.name} arena`, size: arenaBytes, usage: VALUE_USAGE });
    owned.push(arena);
  }
  const stateByName = new Map(graph.inputs.filter((i) => i.state).map((i) => [i.name, i.id] as const));
  const inPlace = new Map<ValueId, ValueId>();
  for (const o of graph.outputs) {
    const node = index.producers.get(o.value);
    const target = stateByName.get(o.name);
    if (o.updatesState && node?.annotations?.['inplace'] === 1 && target !== undefined) inPlace.set(o.value, target);
  }
  const codegenHere = { ...codegen, subgroups: codegen.subgroups ?? info.device.features.has('subgroups') };
  // In schedule order, so every operand's slice is known when its reader's kernel is generated.
  const kernels = graph.nodes.map((node) => {
    if (node.op !== 'call') throw new KilnError({ op: node.op, message: `internal: @${graph.name} is not in fused form` });
    const kernel = index.kernels.get(node.attrs.callee);
    if (kernel === undefined) throw new KilnError({ op: 'call', message: `no kernel @${node.attrs.callee} in @${graph.name}` });
    const off = arenaOffset(node);
    const state = inPlace.get(node.id);
    if (off !== undefined && arena !== undefined) slices.set(node.id, { buffer: arena, offset: off, size: bufferBytes(node.type) });
    else if (state !== undefined) slices.set(node.id, slices.get(state)!);
    else slices.set(node.id, own(node.type, `@${node.attrs.callee}`));
    types.set(node.id, node.type);
    const generated = generateKernel(kernel, info.limits, codegenHere, aliasingOf(node, slices, `@${graph.name}`));
    // A cleared output would wipe the old state before the kernel reads it.
    if (generated.zeroOutput && state !== undefined)
      throw new KilnError({ op: 'call', message: `internal: @${generated.name} accumulates into its output and cannot update a state in place` });
    return generated;
  });
  const pipelines = await Promise.all(kernels.map((k) => getPipeline(device, k)));
  const steps = graph.nodes.map((node, s): PlanStep => {
    const kernel = kernels[s]!;
    const cached = pipelines[s]!;
    const out = slices.get(node.id)!;
    const entries: GPUBindGroupEntry[] = [];
    for (const b of kernel.bindings.all) {
      let slice: BufferSlice;
      if (b.role === 'input') slice = slices.get(node.operands[b.input ?? -1] ?? -1)!;
      else if (b.role === 'output') slice = out;
      else {
        const words = kernel.constants ?? new Uint32Array(0);
        const buffer = device.createBuffer({ label: `@${kernel.name} constants`, size: Math.max(16, Math.ceil((words.length * 4) / 16) * 16), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
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
  return { slices, types, steps, owned, bytes: { total, arena: arenaBytes } };
}

/** How a call's operands sit relative to its output's bytes (see KernelAliasing). */
function aliasingOf(node: Node, slices: ReadonlyMap<ValueId, BufferSlice>, where: string): KernelAliasing {
  const out = slices.get(node.id)!;
  const readWrite = new Set<number>();
  const fromOutput = new Set<number>();
  node.operands.forEach((o, k) => {
    const inp = slices.get(o)!;
    if (inp.buffer !== out.buffer) return;
    if (sameBytes(inp, out) && node.annotations?.['inplace'] === 1) fromOutput.add(k);
    else if (overlaps(inp, out)) throw new KilnError({ op: 'call', message: `internal: memory plan of ${where} overlaps operand ${k} of ${node.op} with its result` });
    else readWrite.add(k);
  });
  return { readWrite, fromOutput };
}

/** True when the grid launches no workgroups (an empty tensor). */
export function isEmptyGrid(grid: Grid): boolean {
  return grid[0] === 0 || grid[1] === 0 || grid[2] === 0;
}

export function elementCount(type: TensorType): number {
  return numel(type.shape);
}
