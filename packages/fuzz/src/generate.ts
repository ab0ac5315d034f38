// The seeded random graph generator: a few inputs, then random ops (from the total generator
// table) and motifs, then outputs and state updates. Same seed, same graph and input data.

import { OP_KINDS, type Graph, type OpKind } from '@kiln/ir';
import { GenContext, type FuzzInputs } from './gen-context.js';
import { motifs } from './motifs.js';
import { opGenerators } from './op-generators.js';
import { Rng } from './prng.js';

export interface GenerateOptions {
  /** Most random steps (ops or motifs) in one graph; default 10. */
  readonly maxSteps?: number;
  /** Ops that must appear (each generated once, at a random step). */
  readonly forceOps?: readonly OpKind[];
  /** Share of f32 input elements that are special values (NaN/±Inf for a quarter of them, ±0 and exact values otherwise); default 0.04. */
  readonly specialValues?: number;
}

export interface GeneratedCase {
  readonly graph: Graph;
  readonly inputs: FuzzInputs;
}

export function generateGraph(seed: number, opts: GenerateOptions = {}): GeneratedCase {
  const rng = new Rng(seed);
  const c = new GenContext(rng, opts.specialValues);
  const first = rng.int(1, 2);
  for (let i = 0; i < first; i++) c.input({ dtype: c.dtype(), shape: c.shape() });
  const steps = rng.int(1, opts.maxSteps ?? 10);
  const plan: (OpKind | 'motif')[] = Array.from({ length: steps }, () => (rng.chance(0.3) ? 'motif' : rng.pick(OP_KINDS)));
  for (const op of opts.forceOps ?? []) plan.splice(rng.int(0, plan.length), 0, op);
  let last = c.pool[c.pool.length - 1]!;
  for (const step of plan) last = step === 'motif' ? rng.pick(motifs)(c) : opGenerators[step](c);
  c.b.output(last, 'out0');
  const extra = rng.int(0, 2);
  for (let k = 1; k <= extra; k++) c.b.output(rng.pick(c.pool), `out${k}`);
  for (const s of c.stateInputs) if (rng.chance(0.7)) c.b.output(c.like(c.typeOf(s)), c.b.build().inputs.find((i) => i.id === s)!.name, true);
  return { graph: c.b.build(), inputs: c.data };
}
