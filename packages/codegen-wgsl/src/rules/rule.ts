// The shape of one WGSL rule (see wgsl-rules.ts for the total table): how an op's value at flat
// index `i` is computed inside a kernel, given its operands as index → value functions.

import type { Node, NodeOf, OpKind, Registry, TensorType, ValueId } from '@kiln/ir';

/** What a rule may ask of the kernel being generated. */
export interface ValueEmitter {
  typeOf(v: ValueId): TensorType;
  /** The node defining `v` in the kernel body (undefined for kernel inputs). */
  producerOf(v: ValueId): Node | undefined;
  /** The nodes of the kernel body reading `v`. */
  usersOf(v: ValueId): readonly Node[];
  /** WGSL expression for value `v` at the flat-index expression `idx` (a u32). */
  value(v: ValueId, idx: string): string;
  /** Appends 32-bit words to the kernel's constant pool; returns their offset in words. */
  poolConstant(words: readonly number[]): number;
  /** Name of the constant pool binding (an array<u32>). */
  readonly constantPool: string;
}

/** Anchors are computed by a template; inside the kernel their value is the template's result. */
export type AnchorTemplate = 'reduction' | 'matmul' | 'conv' | 'window' | 'gather' | 'scatter';

export type WgslRule<K extends OpKind> =
  /** One output element from the same-index operand elements: `args` are their WGSL values. */
  | { readonly kind: 'elementwise'; readonly expr: (node: NodeOf<K>, args: readonly string[], em: ValueEmitter) => string }
  /** Index remapping or generated value: the body of `fn (i: u32) -> T`, ending in a return. */
  | { readonly kind: 'layout' | 'source'; readonly body: (node: NodeOf<K>, em: ValueEmitter) => string }
  /**
   * Computed by the template of its fusion class; typed from the registry entry, so only ops whose
   * fusion class is an anchor class can be anchors, and the template named is that class.
   */
  | { readonly kind: 'anchor'; readonly template: Extract<Registry[K]['fusion'], AnchorTemplate> }
  /** Ops that never appear inside a kernel body. */
  | { readonly kind: 'invalid'; readonly reason: string };
