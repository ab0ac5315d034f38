// Codegen's entry point for a whole fused graph, without a device: which (symbolic) buffer and
// byte range holds each value — graph inputs their own, planned transients the arena, in-place
// state updates their state's bytes (plan-memory's annotations) — and each call's WGSL, whose
// bindings' access modes depend on that placement. The runtime backs the placement with GPU
// buffers (runtime/webgpu/compile-plan.ts); `kiln wgsl` prints the kernels.

import { KilnError, mapGet, numel, type DeviceLimits, type Graph, type Node, type TensorType, type ValueId } from '@kiln/ir';
import { generateKernel, type GenerateOptions } from './generate.js';
import type { GeneratedKernel } from './generated-kernel.js';
import type { KernelAliasing } from './kernel-emitter.js';

/** Bytes a GPU buffer for `type` needs: 4 per element (every dtype is a 32-bit word), rounded up to 16 (vec4 views), at least 16. */
export function valueBufferBytes(type: TensorType): number {
  return Math.max(16, Math.ceil((numel(type.shape) * 4) / 16) * 16);
}

/**
 * What the caller changes for one kernel (the runtime: a tuned GEMM schedule), and how it marks
 * the generated result (a note saying where the schedule came from).
 */
export interface KernelOverride {
  readonly options: GenerateOptions;
  readonly finish?: (generated: GeneratedKernel) => GeneratedKernel;
}

export type KernelOverrides = (kernel: Graph) => KernelOverride | undefined;

/** A value's bytes: [offset, offset + size) of a symbolic buffer ('arena', '%<input>' or '#<node id>'). */
export interface PlacedSlice {
  readonly buffer: string;
  readonly offset: number;
  readonly size: number;
}

export interface PlacedKernels {
  readonly placement: ReadonlyMap<ValueId, PlacedSlice>;
  /** One generated kernel per node, in schedule (dispatch) order. */
  readonly kernels: readonly GeneratedKernel[];
  /** Bytes of the transient arena (0 when the graph carries no memory plan). */
  readonly arenaBytes: number;
}

export const ARENA = 'arena';

/** The arena offset of a planned transient, or undefined when the graph carries no memory plan. */
function arenaOffset(node: Node): number | undefined {
  const a = node.annotations;
  // Empty tensors take no arena bytes in the plan, but a binding needs some: they get their own.
  if (numel(node.type.shape) === 0) return undefined;
  return a?.['buf'] === 0 && typeof a['offset'] === 'number' ? a['offset'] : undefined;
}

/** A value's placement; every value is placed before a call reads it. */
function placed(placement: ReadonlyMap<ValueId, PlacedSlice>, v: ValueId, where: string): PlacedSlice {
  const p = placement.get(v);
  if (p === undefined) throw new KilnError({ op: 'call', message: `internal: ${where}: value #${v} is read before it is placed (the graph is not in schedule order)` });
  return p;
}

/** How a call's operands sit relative to its output's bytes (see KernelAliasing). */
function aliasingOf(node: Node, placement: ReadonlyMap<ValueId, PlacedSlice>, where: string): KernelAliasing {
  const out = placed(placement, node.id, where);
  const readWrite = new Set<number>();
  const fromOutput = new Set<number>();
  node.operands.forEach((o, k) => {
    const inp = placed(placement, o, where);
    if (inp.buffer !== out.buffer) return;
    const same = inp.offset === out.offset && inp.size === out.size;
    if (same && node.annotations?.['inplace'] === 1) fromOutput.add(k);
    else if (inp.offset < out.offset + out.size && out.offset < inp.offset + inp.size)
      throw new KilnError({ op: 'call', message: `internal: memory plan of ${where} overlaps operand ${k} of ${node.op} with its result` });
    else readWrite.add(k);
  });
  return { readWrite, fromOutput };
}

/** Places every value and generates every call's kernel; `overrides` may change the options per kernel. */
export function generateGraph(graph: Graph, limits: DeviceLimits, codegen: GenerateOptions, overrides?: KernelOverrides): PlacedKernels {
  const kernelsByName = new Map(graph.kernels.map((k) => [k.name, k] as const));
  const placement = new Map<ValueId, PlacedSlice>();
  for (const inp of graph.inputs) placement.set(inp.id, { buffer: `%${inp.name}`, offset: 0, size: valueBufferBytes(inp.type) });
  // The arena spans every planned transient (bindings need 16-byte sizes; offsets are 256-aligned).
  let arenaBytes = 0;
  for (const n of graph.nodes) {
    const off = arenaOffset(n);
    if (off !== undefined) arenaBytes = Math.max(arenaBytes, off + valueBufferBytes(n.type));
  }
  const stateByName = new Map(graph.inputs.filter((i) => i.state).map((i) => [i.name, i.id] as const));
  const updates = new Map(graph.outputs.filter((o) => o.updatesState).map((o) => [o.value, o.name] as const));
  const inPlace = new Map<ValueId, ValueId>();
  for (const n of graph.nodes) {
    const name = updates.get(n.id);
    const target = name === undefined ? undefined : stateByName.get(name);
    if (target !== undefined && n.annotations?.['inplace'] === 1) inPlace.set(n.id, target);
  }
  const where = `@${graph.name}`;
  // Calls of one kernel with the same aliasing get the same code: generate it once (fused graphs
  // call few distinct kernels many times, and codegen is pure in these arguments).
  const generatedFor = new Map<string, GeneratedKernel>();
  // In schedule order, so every operand's placement is known when its reader's kernel is generated.
  const kernels = graph.nodes.map((node) => {
    if (node.op !== 'call') throw new KilnError({ op: node.op, message: `internal: @${graph.name} is not in fused form` });
    const kernel = kernelsByName.get(node.attrs.callee);
    if (kernel === undefined) throw new KilnError({ op: 'call', message: `no kernel @${node.attrs.callee} in @${graph.name}` });
    const off = arenaOffset(node);
    const state = inPlace.get(node.id);
    if (off !== undefined) placement.set(node.id, { buffer: ARENA, offset: off, size: valueBufferBytes(node.type) });
    else if (state !== undefined) placement.set(node.id, mapGet(placement, state, 'the placement of state inputs'));
    else placement.set(node.id, { buffer: `#${node.id}`, offset: 0, size: valueBufferBytes(node.type) });
    const aliasing = aliasingOf(node, placement, where);
    // Both sets hold operand indices in ascending order (aliasingOf adds them so).
    const key =
      aliasing.readWrite.size + aliasing.fromOutput.size === 0 ? node.attrs.callee : `${node.attrs.callee}|${[...aliasing.readWrite].join(',')}|${[...aliasing.fromOutput].join(',')}`;
    let generated = generatedFor.get(key);
    if (generated === undefined) {
      const override = overrides?.(kernel);
      generated = generateKernel(kernel, limits, override === undefined ? codegen : { ...codegen, ...override.options }, aliasing);
      if (override?.finish !== undefined) generated = override.finish(generated);
      generatedFor.set(key, generated);
    }
    // A cleared output would wipe the old state before the kernel reads it (a kernel that never
    // reads that state, e.g. a scatter_add into a fresh base, may clear and accumulate in place).
    if (generated.zeroOutput && state !== undefined && node.operands.includes(state))
      throw new KilnError({ op: 'call', message: `internal: @${generated.name} accumulates into its output and cannot update a state in place` });
    return generated;
  });
  return { placement, kernels, arenaBytes };
}
