// Building blocks for the primitive parity cases: one-node graphs (left unfused, so the WebGPU
// backend outlines them) with their input data and the tolerance the comparison allows.

import { GraphBuilder, numel, type AttrsOf, type Graph, type OpKind, type TensorType } from '@kiln/ir';
import { randoms, sample, type Tolerance } from './helpers.js';

export interface PrimitiveCase {
  readonly name: string;
  readonly graph: Graph;
  readonly inputs: Readonly<Record<string, readonly number[]>>;
  readonly tol: Tolerance;
}

export interface Arg {
  readonly type: TensorType;
  readonly data: readonly number[];
}

export const arg = (type: TensorType, data: readonly number[]): Arg => ({ type, data });

/** An argument with sample data (values in [lo, hi) for floats), optionally followed by fixed values. */
export function sampled(type: TensorType, seed: number, lo = -2, hi = 2, fixed: readonly number[] = []): Arg {
  const n = numel(type.shape);
  const base = sample(type, seed, lo, hi);
  return { type, data: [...fixed.slice(0, n), ...base.slice(fixed.length)] };
}

/** Floats in [lo, hi) as an argument. */
export function floats(type: TensorType, seed: number, lo: number, hi: number, fixed: readonly number[] = []): Arg {
  const n = numel(type.shape);
  const xs = randoms(n, seed, lo, hi).map((x) => Math.fround(x));
  return { type, data: [...fixed.slice(0, n), ...xs.slice(fixed.length)] };
}

export function opCase<K extends OpKind>(op: K, name: string, args: readonly Arg[], attrs: AttrsOf<K>, tol: Tolerance, resultType?: TensorType): PrimitiveCase {
  const b = new GraphBuilder(`${op}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const ids = args.map((a, i) => b.input(`x${i}`, a.type));
  const v = b.add(op, ids, attrs, resultType !== undefined ? { type: resultType } : {});
  b.output(v, 'out');
  const inputs: Record<string, readonly number[]> = {};
  args.forEach((a, i) => {
    inputs[`x${i}`] = a.data;
  });
  return { name, graph: b.build(), inputs, tol };
}
