// Test helpers for autodiff: build a small graph around one op, reduce it to a scalar with fixed
// random weights (so no symmetry can hide a wrong gradient) and run the gradient check on it.

import { GraphBuilder, lcgUniforms, type DType, type Graph, type OpKind, type Shape, type TensorType, type ValueId } from '@kiln/ir';

export const t = (dtype: DType, shape: Shape): TensorType => ({ dtype, shape: [...shape] });
export const f32 = (...shape: number[]): TensorType => t('f32', shape);
export const i32 = (...shape: number[]): TensorType => t('i32', shape);
export const bool = (...shape: number[]): TensorType => t('bool', shape);

/** Deterministic pseudo-random numbers in [lo, hi) (a small LCG). */
export function randoms(n: number, seed: number, lo = -1, hi = 1): number[] {
  return lcgUniforms(n, seed, lo, hi, { scrambleSeed: true });
}

/** n distinct values, pairwise at least 0.1 apart, in shuffled order (no ties for max/min). */
export function distinct(n: number, seed: number): number[] {
  const order = randoms(n, seed).map((r, i) => [r, i] as const);
  order.sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(n).fill(0);
  order.forEach(([, i], rank) => {
    out[i] = (rank - n / 2) * 0.1 + 0.013;
  });
  return out;
}

/** Random values with |x| in [0.2, 1), signs mixed: away from the kinks of abs/sign at 0. */
export function awayFromZero(n: number, seed: number): number[] {
  return randoms(n, seed, 0.2, 1).map((v, i) => (i % 3 === 1 ? -v : v));
}

export interface InputSpec {
  readonly type: TensorType;
  readonly data: readonly number[];
}

export interface GradCase {
  readonly name: string;
  /** The op whose VJP rule this case exercises (the coverage test checks every differentiable op has one). */
  readonly op: OpKind;
  readonly inputs: Readonly<Record<string, InputSpec>>;
  readonly wrt: readonly string[];
  /** Inputs (among wrt) whose gradient is zero almost everywhere: checked to be exactly zero both ways. */
  readonly zeroGrad?: readonly string[];
  /** Adds the op(s) under test on the inputs (by name) and returns the non-scalar result. */
  readonly body: (b: GraphBuilder, x: Readonly<Record<string, ValueId>>) => ValueId;
}

/** Graph computing loss = Σ body(inputs) ⊙ w for a fixed random w; output `loss`, plus `y`. */
export function caseGraph(c: GradCase, seed = 7): Graph {
  const b = new GraphBuilder(c.name.replace(/[^A-Za-z0-9_]/g, '_'));
  const ids: Record<string, ValueId> = {};
  for (const [name, spec] of Object.entries(c.inputs)) ids[name] = b.input(name, spec.type);
  const y = c.body(b, ids);
  b.output(y, 'y');
  b.output(weightedSum(b, y, seed), 'loss');
  return b.build();
}

/** Σ y ⊙ w with w a constant of random weights in [0.5, 1.5) with mixed signs. */
export function weightedSum(b: GraphBuilder, y: ValueId, seed: number): ValueId {
  const type = b.typeOf(y);
  const n = type.shape.reduce((p, d) => p * d, 1);
  const w = b.add('constant', [], { value: randoms(n, seed, 0.5, 1.5).map((v, i) => (i % 2 === 0 ? v : -v)) }, { type });
  const prod = b.add('mul', [y, w], {});
  return b.add('reduce_sum', [prod], { axes: type.shape.map((_, i) => i) });
}

export function inputValues(c: GradCase): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, spec] of Object.entries(c.inputs)) out[name] = [...spec.data];
  return out;
}

export const input = (type: TensorType, data: readonly number[]): InputSpec => ({ type, data });

/** An f32 input of `shape` filled with random values in [-1, 1). */
export const rand = (seed: number, ...shape: number[]): InputSpec =>
  input(
    f32(...shape),
    randoms(
      shape.reduce((p, d) => p * d, 1),
      seed,
    ),
  );
