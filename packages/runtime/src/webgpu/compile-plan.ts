// compile(): fused graph → a replayable plan. Every top-level value gets one GPU buffer (state
// inputs keep theirs across runs), every call node one generated kernel, a cached pipeline and
// a bind group built once; scatter kernels note that their output is cleared before each run.

import { GraphIndex, KilnError, numel, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import { generateKernel, type GenerateOptions, type GeneratedKernel, type Grid } from '@kiln/codegen-wgsl';
import { BufferUsage } from './gpu-consts.js';
import { bufferBytes } from './host-transfer.js';
import type { WebGpuDeviceInfo } from './device.js';
import { getPipeline } from './pipelines.js';

export interface PlanStep {
  readonly kernel: GeneratedKernel;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroup: GPUBindGroup;
  readonly grid: Grid;
  /** Buffer to zero before the step runs (scatter_add accumulates into it). */
  readonly clear?: GPUBuffer;
}

export interface Plan {
  readonly buffers: ReadonlyMap<ValueId, GPUBuffer>;
  readonly types: ReadonlyMap<ValueId, TensorType>;
  readonly steps: readonly PlanStep[];
  /** Buffers owned by the plan beyond the per-value ones (constant pools). */
  readonly extra: readonly GPUBuffer[];
}

export function createValueBuffer(device: GPUDevice, type: TensorType, label: string): GPUBuffer {
  return device.createBuffer({ label, size: bufferBytes(type), usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST });
}

export async function buildPlan(info: WebGpuDeviceInfo, graph: Graph, codegen: GenerateOptions): Promise<Plan> {
  const device = info.device;
  const index = new GraphIndex(graph);
  const buffers = new Map<ValueId, GPUBuffer>();
  const types = new Map<ValueId, TensorType>();
  const extra: GPUBuffer[] = [];
  for (const inp of graph.inputs) {
    buffers.set(inp.id, createValueBuffer(device, inp.type, `%${inp.name}`));
    types.set(inp.id, inp.type);
  }
  const kernels: GeneratedKernel[] = [];
  for (const node of graph.nodes) {
    if (node.op !== 'call') throw new KilnError({ op: node.op, message: `internal: @${graph.name} is not in fused form` });
    const kernel = index.kernels.get(node.attrs.callee);
    if (kernel === undefined) throw new KilnError({ op: 'call', message: `no kernel @${node.attrs.callee} in @${graph.name}` });
    kernels.push(generateKernel(kernel, info.limits, codegen));
    buffers.set(node.id, createValueBuffer(device, node.type, `@${kernel.name}`));
    types.set(node.id, node.type);
  }
  const pipelines = await Promise.all(kernels.map((k) => getPipeline(device, k)));
  const steps = graph.nodes.map((node, s): PlanStep => {
    const kernel = kernels[s]!;
    const cached = pipelines[s]!;
    const entries: GPUBindGroupEntry[] = [];
    for (const b of kernel.bindings.all) {
      let buffer: GPUBuffer;
      if (b.role === 'input') buffer = buffers.get(node.operands[b.input ?? -1] ?? -1)!;
      else if (b.role === 'output') buffer = buffers.get(node.id)!;
      else {
        const words = kernel.constants ?? new Uint32Array(0);
        buffer = device.createBuffer({ label: `@${kernel.name} constants`, size: Math.max(16, Math.ceil((words.length * 4) / 16) * 16), usage: BufferUsage.STORAGE | BufferUsage.COPY_DST });
        device.queue.writeBuffer(buffer, 0, words);
        extra.push(buffer);
      }
      entries.push({ binding: b.binding, resource: { buffer } });
    }
    const bindGroup = device.createBindGroup({ label: kernel.name, layout: cached.layout, entries });
    const out = buffers.get(node.id)!;
    return { kernel, pipeline: cached.pipeline, bindGroup, grid: kernel.dispatch(), ...(kernel.zeroOutput ? { clear: out } : {}) };
  });
  return { buffers, types, steps, extra };
}

/** True when the grid launches no workgroups (an empty tensor). */
export function isEmptyGrid(grid: Grid): boolean {
  return grid[0] === 0 || grid[1] === 0 || grid[2] === 0;
}

export function elementCount(type: TensorType): number {
  return numel(type.shape);
}
