// Pass `plan-memory` (after fusion): the schedule is node order. Buffer 0 is the arena holding
// every transient value at a 256-aligned `offset` (offline greedy-by-size placement over the known
// lifetimes, or the online best-fit arena if that is smaller or the offline search runs over its
// budget); each graph input and each output value gets a buffer of its own; a state update whose
// old value is dead may be written into the state's buffer (`inplace=1`). Annotations: buf, offset, inplace.

import type { Annotations, Graph, GraphInput, Node, ValueId } from '@kiln/ir';
import type { Pass, PassResult } from '../pass.js';
import { Arena, arenaBytesOf } from './arena.js';
import { canUpdateInPlace, scheduleIndex } from './liveness.js';
import { OFFLINE_WORK_PER_VALUE, placeOffline, type Lifetime, type Placement } from './offline-arena.js';

export const ARENA_BUFFER = 0;

export interface MemoryPlanStats {
  /** Arena size: the most transient bytes allocated at once, fragmentation included. */
  readonly peakBytes: number;
  /** Arena size without reuse: every transient its own block. */
  readonly naiveBytes: number;
  /** The most transient bytes live at one point of the schedule (no allocator can beat it). */
  readonly lowerBoundBytes: number;
  readonly transients: number;
  readonly inplaceUpdates: number;
  /** Buffers in all: the arena, one per input, one per output value not updated in place. */
  readonly buffers: number;
}

export function planMemory(g: Graph): { graph: Graph; stats: MemoryPlanStats } {
  const kernels = new Map(g.kernels.map((k) => [k.name, k] as const));
  let nextBuf = ARENA_BUFFER + 1;
  const inputBuf = new Map<ValueId, number>();
  const inputs: GraphInput[] = g.inputs.map((inp) => {
    const buf = nextBuf++;
    inputBuf.set(inp.id, buf);
    const { annotations: _old, ...rest } = inp;
    return { ...rest, annotations: { buf } };
  });
  const plan = new Map<ValueId, Annotations>();
  const nodeIds = new Set(g.nodes.map((n) => n.id));
  let inplaceUpdates = 0;
  const schedule = scheduleIndex(g);
  const stateByName = new Map<string, GraphInput>();
  for (const i of g.inputs) if (i.state && !stateByName.has(i.name)) stateByName.set(i.name, i);
  for (const o of g.outputs) {
    if (!o.updatesState || !nodeIds.has(o.value)) continue;
    const s = stateByName.get(o.name);
    if (s === undefined || !canUpdateInPlace(g, s.id, o.value, kernels, schedule)) continue;
    plan.set(o.value, { buf: inputBuf.get(s.id)!, inplace: 1 });
    inplaceUpdates++;
  }
  for (const o of g.outputs) if (nodeIds.has(o.value) && !plan.has(o.value)) plan.set(o.value, { buf: nextBuf++ });

  const last = schedule.last;
  // Lifetimes of the transients in schedule order: a value lives from its node to its last reader,
  // inclusive (a kernel reads its operands while writing its result, so they must not share bytes).
  const transientIds: ValueId[] = [];
  const lifetimes: Lifetime[] = [];
  const liveDelta = new Array<number>(g.nodes.length + 1).fill(0);
  g.nodes.forEach((n, i) => {
    if (plan.has(n.id)) return;
    const size = arenaBytesOf(n.type);
    const end = last.get(n.id) ?? i;
    transientIds.push(n.id);
    lifetimes.push({ start: i, end, size });
    liveDelta[i]! += size;
    liveDelta[end + 1]! -= size;
  });
  let live = 0;
  let lowerBound = 0;
  for (const d of liveDelta) lowerBound = Math.max(lowerBound, (live += d));
  const naive = lifetimes.reduce((a, l) => a + l.size, 0);
  const online = placeOnline(lifetimes);
  const offline = placeOffline(lifetimes, OFFLINE_WORK_PER_VALUE * lifetimes.length + 1_000_000);
  const best = offline !== undefined && offline.peak < online.peak ? offline : online;
  transientIds.forEach((id, j) => plan.set(id, { buf: ARENA_BUFFER, offset: best.offsets[j]! }));
  const transients = transientIds.length;

  const nodes: Node[] = g.nodes.map((n) => ({ ...n, annotations: plan.get(n.id)! }));
  const stats: MemoryPlanStats = { peakBytes: best.peak, naiveBytes: naive, lowerBoundBytes: lowerBound, transients, inplaceUpdates, buffers: nextBuf };
  return { graph: { ...g, inputs, nodes }, stats };
}

/** Bytes the runtime must allocate for buffer 0 of a planned graph. */
export function arenaSize(g: Graph): number {
  let size = 0;
  for (const n of g.nodes) if (n.annotations?.buf === ARENA_BUFFER && n.annotations.offset !== undefined) size = Math.max(size, n.annotations.offset + arenaBytesOf(n.type));
  return size;
}

export const planMemoryPass: Pass = {
  name: 'plan-memory',
  description: 'assign buffers: transients share one 256-aligned arena (best fit), state updates in place when legal',
  run(graph): PassResult {
    const { graph: planned, stats } = planMemory(graph);
    const same =
      planned.nodes.every((n, i) => sameAnnotations(n.annotations, graph.nodes[i]?.annotations)) &&
      planned.inputs.every((inp, i) => sameAnnotations(inp.annotations, graph.inputs[i]?.annotations));
    return { graph: same ? graph : planned, changed: !same, stats: { ...stats } };
  },
};

function sameAnnotations(a: Annotations | undefined, b: Annotations | undefined): boolean {
  return a?.buf === b?.buf && a?.offset === b?.offset && a?.inplace === b?.inplace;
}

/** The schedule-order best-fit arena: the fallback for graphs too large for offline placement. */
function placeOnline(values: readonly Lifetime[]): Placement {
  const arena = new Arena();
  const offsets = values.map(() => 0);
  const endingAt = new Map<number, number[]>();
  let steps = 0;
  values.forEach((v, j) => {
    const list = endingAt.get(v.end);
    if (list === undefined) endingAt.set(v.end, [j]);
    else list.push(j);
    steps = Math.max(steps, v.end + 1);
  });
  let next = 0;
  for (let i = 0; i < steps; i++) {
    while (next < values.length && values[next]!.start === i) {
      offsets[next] = arena.alloc(values[next]!.size);
      next++;
    }
    for (const j of endingAt.get(i) ?? []) arena.release(offsets[j]!, values[j]!.size);
  }
  return { offsets, peak: arena.peak };
}
