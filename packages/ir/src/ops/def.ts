// The shape of one op definition in the registry. Every op is defined exactly once (see index.ts);
// per-layer rule tables elsewhere (eval, vjp, wgsl) are keyed by the registry's op names.

import type { AttrSchema, AttrValues } from '../attrs.js';
import type { DType } from '../dtype.js';
import type { TensorType } from '../shape.js';

/**
 * How an op takes part in fusion. `elementwise`: one output element from the same-index operand
 * elements. `layout`: an index remapping (reshape/transpose/broadcast/slice/pad/concat) that a
 * consumer can fold into its load. `source`: generated from the index alone. The rest are kernel
 * "anchors" with their own templates.
 */
export type FusionKind = 'elementwise' | 'layout' | 'source' | 'reduction' | 'matmul' | 'conv' | 'window' | 'gather' | 'scatter' | 'call';

/** Scalar semantics of an elementwise op, computed in f64 and stored through the result's typed array. */
export type ScalarFn = (a: number, b: number, c: number) => number;

export interface ElementwiseSemantics {
  /** Float semantics (also used for ints unless `int` is given). */
  readonly f: ScalarFn;
  /** Integer semantics where they differ (wrapping multiply, truncating divide). */
  readonly int?: ScalarFn;
}

/** Operand count, or 'variadic' (at least one). */
export type Arity = number | 'variadic';

/**
 * One op's registry entry. `A` and `F` keep the literal arity and fusion class of each entry (so
 * unions such as "binary elementwise ops" are derived from the registry, see index.ts).
 */
export interface OpDef<S extends AttrSchema = AttrSchema, A extends Arity = Arity, F extends FusionKind = FusionKind> {
  readonly attrs: S;
  readonly arity: A;
  readonly fusion: F;
  /** Source ops (constant, iota, random_bits, call) take their result type from the IR annotation. */
  readonly typeFromAnnotation: boolean;
  /**
   * Result type from operand types and attributes; throws TypeRuleError (via `fail`) naming the
   * problem. `declared` is the annotated type for typeFromAnnotation ops.
   */
  readonly infer: (operands: readonly TensorType[], attrs: AttrValues<S>, declared: TensorType | undefined) => TensorType;
  readonly scalar?: ElementwiseSemantics;
  readonly doc: string;
}

export function defineOp<S extends AttrSchema, const A extends Arity, const F extends FusionKind>(def: OpDef<S, A, F>): OpDef<S, A, F> {
  return def;
}

export type DTypeClass = 'float' | 'numeric' | 'int' | 'bool' | 'logical' | 'any';

export function dtypeInClass(d: DType, cls: DTypeClass): boolean {
  switch (cls) {
    case 'float':
      return d === 'f32';
    case 'numeric':
      return d !== 'bool';
    case 'int':
      return d === 'i32' || d === 'u32';
    case 'bool':
      return d === 'bool';
    case 'logical':
      return d !== 'f32';
    case 'any':
      return true;
    default: {
      const never: never = cls;
      return never;
    }
  }
}

export const DTYPE_CLASS_TEXT: Readonly<Record<DTypeClass, string>> = {
  float: 'f32',
  numeric: 'f32, i32 or u32',
  int: 'i32 or u32',
  bool: 'bool',
  logical: 'bool, i32 or u32',
  any: 'any dtype',
};
