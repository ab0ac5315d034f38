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

export type { OpDef, FusionKind, ElementwiseSemantics, ScalarFn } from './def.js';
