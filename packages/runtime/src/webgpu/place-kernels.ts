// Buffer placement and code generation for a fused graph, without a device: which (symbolic)
// buffer and byte range holds each value — graph inputs their own, planned transients the arena,
// in-place state updates their state's bytes — and each call's WGSL, whose bindings' access
// modes depend on that placement. compile-plan.ts backs it with GPU buffers; `kiln wgsl` prints it.

import { GraphIndex, KilnError, numel, type Graph, type Node, type ValueId } from '@kiln/ir';
import { generateKernel, scheduleOptions, type DeviceLimits, type GenerateOptions, type GeneratedKernel, type KernelAliasing } from '@kiln/codegen-wgsl';
import { bufferBytes } from './host-transfer.js';
import { annotateKernel, type ChooseSchedule } from '../tune/apply.js';

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

/** How a call's operands sit relative to its output's bytes (see KernelAliasing). */
function aliasingOf(node: Node, placement: ReadonlyMap<ValueId, PlacedSlice>, where: string): KernelAliasing {
  const out = placement.get(node.id)!;
  const readWrite = new Set<number>();
  const fromOutput = new Set<number>();
  node.operands.forEach((o, k) => {
    const inp = placement.get(o)!;
    if (inp.buffer !== out.buffer) return;
    const same = inp.offset === out.offset && inp.size === out.size;
    if (same && node.annotations?.['inplace'] === 1) fromOutput.add(k);
    else if (inp.offset < out.offset + out.size && out.offset < inp.offset + inp.size)
      throw new KilnError({ op: 'call', message: `internal: memory plan of ${where} overlaps operand ${k} of ${node.op} with its result` });
    else readWrite.add(k);
  });
  return { readWrite, fromOutput };
}

/** `choose` gives tuned schedules per kernel (tune/apply.ts); without it codegen picks by shape. */
export function placeKernels(graph: Graph, limits: DeviceLimits, codegen: GenerateOptions, choose?: ChooseSchedule): PlacedKernels {
  const index = new GraphIndex(graph);
  const placement = new Map<ValueId, PlacedSlice>();
  for (const inp of graph.inputs) placement.set(inp.id, { buffer: `%${inp.name}`, offset: 0, size: bufferBytes(inp.type) });
  // The arena spans every planned transient (bindings need 16-byte sizes; offsets are 256-aligned).
  let arenaBytes = 0;
  for (const n of graph.nodes) {
    const off = arenaOffset(n);
    if (off !== undefined) arenaBytes = Math.max(arenaBytes, off + bufferBytes(n.type));
  }
  const stateByName = new Map(graph.inputs.filter((i) => i.state).map((i) => [i.name, i.id] as const));
  const inPlace = new Map<ValueId, ValueId>();
  for (const o of graph.outputs) {
    const target = stateByName.get(o.name);
    if (o.updatesState && index.producers.get(o.value)?.annotations?.['inplace'] === 1 && target !== undefined) inPlace.set(o.value, target);
  }
  // Calls of one kernel with the same aliasing get the same code: generate it once (fused graphs
  // call few distinct kernels many times, and codegen is pure in these arguments).
  const generatedFor = new Map<string, GeneratedKernel>();
  // In schedule order, so every operand's placement is known when its reader's kernel is generated.
  const kernels = graph.nodes.map((node) => {
    if (node.op !== 'call') throw new KilnError({ op: node.op, message: `internal: @${graph.name} is not in fused form` });
    const kernel = index.kernels.get(node.attrs.callee);
    if (kernel === undefined) throw new KilnError({ op: 'call', message: `no kernel @${node.attrs.callee} in @${graph.name}` });
    const off = arenaOffset(node);
    const state = inPlace.get(node.id);
    if (off !== undefined) placement.set(node.id, { buffer: ARENA, offset: off, size: bufferBytes(node.type) });
    else if (state !== undefined) placement.set(node.id, placement.get(state)!);
    else placement.set(node.id, { buffer: `#${node.id}`, offset: 0, size: bufferBytes(node.type) });
    const aliasing = aliasingOf(node, placement, `@${graph.name}`);
    const key = `${node.attrs.callee}|${[...aliasing.readWrite].sort((a, b) => a - b).join(',')}|${[...aliasing.fromOutput].sort((a, b) => a - b).join(',')}`;
    let generated = generatedFor.get(key);
    if (generated === undefined) {
      const choice = choose?.(kernel);
      generated = choice === undefined ? generateKernel(kernel, limits, codegen, aliasing) : annotateKernel(generateKernel(kernel, limits, { ...codegen, ...scheduleOptions(choice.schedule) }, aliasing), choice.note);
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
