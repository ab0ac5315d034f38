// What the importer's pieces share while lowering one graph: the ONNX name table (each name's
// slot: a Kiln value, a static value, an initializer or a sequence), lookups, and recursion into
// lowerNode for inlined subgraphs (If branches, Loop and SequenceMap bodies).

import type { GraphBuilder, ValueId } from '@kiln/ir';
import type { OnnxLimits } from '../limits.js';
import type { OnnxNode, OnnxTensorProto } from '../model.js';
import type { Emitter } from './emit.js';
import type { OperandSource, StaticTensor } from './node-ctx.js';

/** What an ONNX name stands for during import. */
export type Slot =
  | { readonly kind: 'value'; readonly id: ValueId }
  | { readonly kind: 'static'; readonly value: StaticTensor; id?: ValueId }
  | { readonly kind: 'init'; readonly tensor: OnnxTensorProto; value?: StaticTensor; id?: ValueId }
  | { readonly kind: 'sequence'; readonly items: readonly string[] }
  | { readonly kind: 'optional'; readonly inner: Slot | undefined };

export interface ImportScope {
  readonly b: GraphBuilder;
  readonly slots: Map<string, Slot>;
  readonly limits: OnnxLimits;
  readonly opset: number;
  /** The value of a slot when it is known at import time. */
  staticOf(slot: Slot, name: string): StaticTensor | undefined;
  /** The Kiln value of tensor `name` (a constant or parameter is materialized on first use). */
  valueOf(name: string, where: string): ValueId;
  /** The slot of a value a lowering made (static when it is a small constant). */
  valueSlot(id: ValueId): Slot;
  isGraphInput(name: string): boolean;
  lowerNode(node: OnnxNode): void;
  /** Binds output i of `node` (an error if the name is already defined: ONNX graphs are SSA). */
  bindSlot(node: OnnxNode, where: string, slot: Slot, i?: number): void;
  emitter(where: string): Emitter;
  sourceOf(node: OnnxNode, where: string): OperandSource;
  /** A tag no other inlined copy has, for renameBody. */
  freshTag(where: string, k: number): string;
}
