// `kiln run-parity` inputs: values from --inputs, the rest generated from the seed. Integer inputs
// that index something (gather/scatter_add indices, labels compared with an iota) stay inside the
// dimension they index, so both backends see valid, identical data; state starts as k.compile does.

import { GraphIndex, fnv1a32, mix32, numel, type Graph, type GraphInput, type Node, type ValueId } from '@kiln/ir';
import { SeededRandom, initialize, type ParamSpec } from '@kiln/frontend';
import type { HostInput } from '@kiln/runtime';

/** Integer inputs with no inferable bound are drawn from [0, DEFAULT_INT_BOUND). */
export const DEFAULT_INT_BOUND = 4;

export interface SeededInputs {
  /** Non-state inputs, passed to every run. */
  readonly inputs: Record<string, HostInput>;
  /** Initial state, handed to both backends at compile time. */
  readonly state: Record<string, HostInput>;
  /** Where each input's values came from, in graph order. */
  readonly origins: readonly InputOrigin[];
}

export interface InputOrigin {
  readonly name: string;
  readonly state: boolean;
  readonly origin: string;
}

/** Ops an index may pass through unchanged on its way to the op that uses it. */
const PASS_THROUGH: ReadonlySet<string> = new Set(['reshape', 'broadcast', 'transpose', 'cast', 'stop_gradient', 'slice', 'concat']);
const COMPARISONS: ReadonlySet<string> = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/** The iota size a value is a layout view of (labels are compared with iota positions), if any. */
function iotaExtent(index: GraphIndex, v: ValueId): number | undefined {
  const p = index.producers.get(v);
  if (p === undefined) return undefined;
  if (p.op === 'iota') return p.type.shape[p.attrs.dim];
  if (p.op === 'reshape' || p.op === 'broadcast' || p.op === 'transpose') return p.operands[0] === undefined ? undefined : iotaExtent(index, p.operands[0]);
  return undefined;
}

/** The size of the dimension `user` indexes with operand `v`, when it uses `v` as an index. */
function boundAt(index: GraphIndex, user: Node, v: ValueId): number | undefined {
  switch (user.op) {
    case 'gather':
    case 'scatter_add': {
      const [table, indices] = user.operands;
      return indices === v && table !== undefined ? index.typeOf(table).shape[user.attrs.axis] : undefined;
    }
    default: {
      if (!COMPARISONS.has(user.op)) return undefined;
      const other = user.operands.find((o) => o !== v);
      return other === undefined ? undefined : iotaExtent(index, other);
    }
  }
}

/** Smallest dimension the input indexes (through layout ops), or undefined when it indexes nothing. */
export function indexBound(graph: Graph, input: GraphInput): number | undefined {
  const index = new GraphIndex(graph);
  let bound: number | undefined;
  const seen = new Set<ValueId>();
  const queue: ValueId[] = [input.id];
  for (let v = queue.pop(); v !== undefined; v = queue.pop()) {
    if (seen.has(v)) continue;
    seen.add(v);
    for (const user of index.usersOf(v)) {
      const b = boundAt(index, user, v);
      if (b !== undefined && b > 0) bound = Math.min(bound ?? b, b);
      if (PASS_THROUGH.has(user.op)) queue.push(user.id);
    }
  }
  return bound;
}

function seededValues(graph: Graph, input: GraphInput, seed: number): { data: number[]; origin: string } {
  // Seeded by the name's hash (FNV-1a): each input's stream depends on the seed and its name only,
  // not on the input order.
  const rng = new SeededRandom(mix32((seed ^ fnv1a32(input.name)) >>> 0));
  const n = numel(input.type.shape);
  switch (input.type.dtype) {
    case 'f32':
      return { data: Array.from({ length: n }, () => Math.fround(rng.next() * 2 - 1)), origin: 'seeded uniform [-1, 1)' };
    case 'i32':
    case 'u32': {
      const inferred = indexBound(graph, input);
      const bound = inferred ?? DEFAULT_INT_BOUND;
      return {
        data: Array.from({ length: n }, () => Math.floor(rng.next() * bound)),
        origin: `seeded integers in [0, ${bound})${inferred !== undefined ? ' (the dimension it indexes)' : ''}`,
      };
    }
    case 'bool':
      return { data: Array.from({ length: n }, () => (rng.next() < 0.5 ? 0 : 1)), origin: 'seeded 0/1' };
    default: {
      const never: never = input.type.dtype;
      return never;
    }
  }
}

/**
 * Inputs for both backends. State not given: a script's parameters use their initializers
 * (k.initialize(param, seed), as k.compile does); a .kir file's f32 state is seeded like any
 * input, its integer and bool state (step counters, RNG keys) starts at zero.
 */
export function seededInputs(graph: Graph, given: Readonly<Record<string, number[]>>, seed: number, params: readonly ParamSpec[] | undefined): SeededInputs {
  const inputs: Record<string, HostInput> = {};
  const state: Record<string, HostInput> = {};
  const origins: InputOrigin[] = [];
  for (const inp of graph.inputs) {
    const into = inp.state ? state : inputs;
    const note = (origin: string): void => void origins.push({ name: inp.name, state: inp.state, origin });
    const fromFile = given[inp.name];
    if (fromFile !== undefined) {
      into[inp.name] = fromFile;
      note('from --inputs');
      continue;
    }
    const param = inp.state ? params?.find((p) => p.name === inp.name) : undefined;
    if (param !== undefined) {
      into[inp.name] = initialize(param, seed);
      note(`initializer ${param.init.kind}`);
    } else if (inp.state && inp.type.dtype !== 'f32') {
      into[inp.name] = new Array<number>(numel(inp.type.shape)).fill(0);
      note('zeros');
    } else {
      const { data, origin } = seededValues(graph, inp, seed);
      into[inp.name] = data;
      note(origin);
    }
  }
  return { inputs, state, origins };
}
