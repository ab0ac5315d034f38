// The op registry: the single source of truth for every IR op. OpKind is derived from its keys,
// so each per-layer table `{ [K in OpKind]: ... }` fails to compile until it covers a new op.

import type { AttrValues } from '../attrs.js';
import { computeOps } from './compute.js';
import type { OpDef } from './def.js';
import { elementwiseOps } from './elementwise.js';
import { layoutOps } from './layout.js';
import { sourceOps } from './sources.js';

export const registry = { ...elementwiseOps, ...layoutOps, ...computeOps, ...sourceOps };

export type Registry = typeof registry;
export type OpKind = keyof Registry;
export type AttrsOf<K extends OpKind> = AttrValues<Registry[K]['attrs']>;

export const OP_KINDS = Object.keys(registry) as OpKind[];

/** The ops whose registry entry has the facts `P` (e.g. `{ fusion: 'elementwise'; arity: 2 }`). */
export type OpsWhere<P> = { [K in OpKind]: Registry[K] extends P ? K : never }[OpKind];
/** One output element from the same-index operand elements (see FusionKind). */
export type ElementwiseOp = OpsWhere<{ readonly fusion: 'elementwise' }>;
/** Elementwise ops of one operand and no attributes (so not cast, which has a dtype). */
export type UnaryElementwiseOp = OpsWhere<{ readonly fusion: 'elementwise'; readonly arity: 1; readonly attrs: Readonly<Record<string, never>> }>;
/** Elementwise ops of two operands (arithmetic, comparison, logic). */
export type BinaryElementwiseOp = OpsWhere<{ readonly fusion: 'elementwise'; readonly arity: 2 }>;
/** Index remappings (reshape, transpose, broadcast, slice, pad, concat). */
export type LayoutOp = OpsWhere<{ readonly fusion: 'layout' }>;
/** Reductions over a list of axes (reduce_sum, reduce_max, reduce_min). */
export type ReduceOp = OpsWhere<{ readonly fusion: 'reduction'; readonly attrs: { readonly axes: 'ints' } }>;
type ReduceSuffix<T> = T extends `reduce_${infer K}` ? K : never;
/** What a ReduceOp combines with: 'sum' | 'max' | 'min'. */
export type ReduceKind = ReduceSuffix<ReduceOp>;
/** Ops that anchor a kernel of their own template (fusion class window, gather or scatter). */
export type SingleAnchorOp = OpsWhere<{ readonly fusion: 'window' | 'gather' | 'scatter' }>;

export function isOpKind(s: string): s is OpKind {
  return Object.prototype.hasOwnProperty.call(registry, s);
}

export function opDef<K extends OpKind>(op: K): Registry[K] {
  return registry[op];
}

/** The registry entry viewed with its attribute type erased, for generic code (parser, printer). */
export function opDefErased(op: OpKind): OpDef {
  return registry[op] as OpDef;
}

export type { OpDef, Arity, FusionKind, ElementwiseSemantics, ScalarFn } from './def.js';
export { REDUCE_WINDOW_KINDS, isReduceWindowKind, reduceWindowKind, type ReduceWindowKind } from './compute.js';
