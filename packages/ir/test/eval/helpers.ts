// Test helpers: build a one-node graph with the IR builder, run it through `interpret`, and
// return the result, so each case states only op, operands, attributes and expected values.

import { GraphBuilder, lcgUniforms, verifyOrThrow, type AttrsOf, type DType, type OpKind, type Shape, type TensorType } from '@kiln/ir';
import { interpret, toNumberArray, type HostTensor, type Precision } from '@kiln/ir';

export const t = (dtype: DType, shape: Shape): TensorType => ({ dtype, shape: [...shape] });
export const f32 = (...shape: number[]): TensorType => t('f32', shape);
export const i32 = (...shape: number[]): TensorType => t('i32', shape);
export const u32 = (...shape: number[]): TensorType => t('u32', shape);
export const bool = (...shape: number[]): TensorType => t('bool', shape);

export interface Arg {
  readonly type: TensorType;
  readonly data: readonly number[];
}
export const arg = (type: TensorType, data: readonly number[]): Arg => ({ type, data });

export interface EvalOptions {
  /** Result type, needed for constant/iota/random_bits. */
  readonly type?: TensorType;
  readonly precision?: Precision;
}

/** Runs one `op` node on `args` through the interpreter. */
export function evalOp<K extends OpKind>(op: K, args: readonly Arg[], attrs: AttrsOf<K>, opts: EvalOptions = {}): HostTensor {
  const b = new GraphBuilder('single');
  const ids = args.map((a, i) => b.input(`x${i}`, a.type));
  const v = b.add(op, ids, attrs, opts.type !== undefined ? { type: opts.type } : {});
  b.output(v, 'out');
  const g = b.build();
  verifyOrThrow(g);
  const inputs: Record<string, readonly number[]> = {};
  args.forEach((a, i) => {
    inputs[`x${i}`] = a.data;
  });
  const out = interpret(g, inputs, opts.precision !== undefined ? { precision: opts.precision } : {});
  const r = out['out'];
  if (r === undefined) throw new Error('no output');
  return r;
}

/** Like evalOp, returning the elements as plain numbers. */
export function evalNums<K extends OpKind>(op: K, args: readonly Arg[], attrs: AttrsOf<K>, opts: EvalOptions = {}): number[] {
  return toNumberArray(evalOp(op, args, attrs, opts));
}

/** Deterministic pseudo-random numbers in [-1, 1) (a small LCG), for reference comparisons. */
export function randoms(n: number, seed: number): number[] {
  return lcgUniforms(n, seed);
}
