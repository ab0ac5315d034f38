// ONNX sequences, resolved at import time: a sequence value is a list of the names of its tensor
// items (no sequence type in Kiln IR). Every op that changes or reads a sequence needs its length
// and positions known when the model is imported; SequenceAt yields the item itself, and
// SplitToSequence / ConcatFromSequence become slices and a concat.

import { elementAt, formatType, typesEqual, type TensorType, type ValueId } from '@kiln/ir';
import type { NodeCtx } from './node-ctx.js';
import { sliceAxis } from './rules-shape.js';

/** What a sequence op's lowering reads and binds in the importer's name table. */
export interface SequenceScope {
  /** The items (tensor names) of sequence input i; an error when that input is not a sequence. */
  items(c: NodeCtx, i: number): readonly string[];
  /** The Kiln type of tensor `name` (an error when it is a sequence). */
  typeOf(name: string, where: string): TensorType;
  /** The Kiln value of tensor `name` (a constant node for a static one). */
  value(name: string, where: string): ValueId;
  /** The most items a sequence may have (each becomes Kiln values; the node limit). */
  readonly maxItems: number;
  /** A fresh name for item i of the sequence bound to `output` (items made by SplitToSequence). */
  bindItem(output: string, i: number, id: ValueId): string;
}

/** The name table key of item i of sequence `name`: no ONNX name holds a NUL, so none collides. */
export function itemKey(name: string, i: number): string {
  return `\u0000${name}#${i}`;
}

/** One ONNX output of a sequence op. */
export type SequenceResult =
  | { readonly kind: 'sequence'; readonly items: readonly string[] }
  | { readonly kind: 'alias'; readonly name: string }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'value'; readonly id: ValueId };

export interface SequenceRule {
  readonly attrs: readonly string[];
  readonly lower: (c: NodeCtx, s: SequenceScope) => SequenceResult;
}

/** A position known at import time, normalized against a sequence of length n (`end`: n allowed). */
function position(c: NodeCtx, i: number, n: number, end: boolean): number {
  const values = c.staticInts(i, 'position');
  const p = values[0];
  if (values.length !== 1 || p === undefined) throw c.error(`position must be a scalar, got ${values.length} values`);
  const max = end ? n : n - 1;
  if (p < -n || p > max) throw c.error(`position ${p} is out of range for a sequence of length ${n} ([${-n}, ${max}])`);
  return p < 0 ? p + n : p;
}

function sameType(c: NodeCtx, s: SequenceScope, items: readonly string[]): void {
  const [first, ...rest] = items;
  if (first === undefined) return;
  const want = s.typeOf(first, c.where);
  for (const name of rest) {
    const t = s.typeOf(name, c.where);
    if (t.dtype !== want.dtype) throw c.error(`sequence items must share one element type: "${name}" is ${formatType(t)}, "${first}" is ${formatType(want)}`);
  }
}

function tensorInput(c: NodeCtx, i: number): string {
  const name = c.node.inputs[i] ?? '';
  if (name === '') throw c.error(`input #${i} is required`);
  return name;
}

function splitSizes(c: NodeCtx, length: number): { sizes: number[]; squeeze: boolean } {
  if (!c.has(1)) return { sizes: new Array<number>(length).fill(1), squeeze: c.int('keepdims', 1) === 0 };
  const split = c.static(1, 'split');
  const values = split.values.map((v) => Math.trunc(v));
  if (split.dims.length === 0) {
    const chunk = Math.trunc(c.staticScalar(1, 'split'));
    if (chunk <= 0) throw c.error(`split chunk size ${chunk} must be positive`);
    return { sizes: Array.from({ length: Math.ceil(length / chunk) }, (_, k) => Math.min(chunk, length - k * chunk)), squeeze: false };
  }
  if (values.some((v) => v < 0) || values.reduce((a, b) => a + b, 0) !== length)
    throw c.error(`split sizes [${values.join(', ')}] must be non-negative and sum to the axis length ${length}`);
  return { sizes: values, squeeze: false };
}

export const SEQUENCE_RULES: Readonly<Record<string, SequenceRule>> = {
  SequenceEmpty: { attrs: ['dtype'], lower: () => ({ kind: 'sequence', items: [] }) },
  SequenceConstruct: {
    attrs: [],
    lower: (c, s) => {
      const items = c.node.inputs.map((_, i) => tensorInput(c, i));
      for (const name of items) s.typeOf(name, c.where);
      sameType(c, s, items);
      return { kind: 'sequence', items };
    },
  },
  SequenceInsert: {
    attrs: [],
    lower: (c, s) => {
      const items = [...s.items(c, 0)];
      const tensor = tensorInput(c, 1);
      sameType(c, s, [...items, tensor]);
      const at = c.has(2) ? position(c, 2, items.length, true) : items.length;
      items.splice(at, 0, tensor);
      return { kind: 'sequence', items };
    },
  },
  SequenceErase: {
    attrs: [],
    lower: (c, s) => {
      const items = [...s.items(c, 0)];
      if (items.length === 0) throw c.error('cannot erase from an empty sequence');
      const at = c.has(1) ? position(c, 1, items.length, false) : items.length - 1;
      items.splice(at, 1);
      return { kind: 'sequence', items };
    },
  },
  SequenceAt: {
    attrs: [],
    lower: (c, s) => {
      const items = s.items(c, 0);
      const name = items[position(c, 1, items.length, false)];
      if (name === undefined) throw c.error('internal: a normalized position is outside its sequence');
      return { kind: 'alias', name };
    },
  },
  SequenceLength: { attrs: [], lower: (c, s) => ({ kind: 'length', length: s.items(c, 0).length }) },
  SplitToSequence: {
    attrs: ['axis', 'keepdims'],
    lower: (c, s) => {
      const x = c.input(0);
      const shape = c.e.shape(x);
      const axis = c.e.axis(c.int('axis', 0), shape.length);
      const { sizes, squeeze } = splitSizes(c, elementAt(shape, axis, 'SplitToSequence operand shape'));
      if (sizes.length > s.maxItems) throw c.error(`splits into ${sizes.length} items, more than ${s.maxItems} (the node limit)`);
      const out = c.node.outputs[0] ?? '';
      let at = 0;
      const items = sizes.map((size, i) => {
        const part = sliceAxis(c.e, x, axis, at, at + size, 1);
        at += size;
        return s.bindItem(
          out,
          i,
          squeeze
            ? c.e.reshape(
                part,
                shape.filter((_, k) => k !== axis),
              )
            : part,
        );
      });
      return { kind: 'sequence', items };
    },
  },
  ConcatFromSequence: {
    attrs: ['axis', 'new_axis'],
    lower: (c, s) => {
      const items = s.items(c, 0);
      if (items.length === 0) throw c.error('cannot concatenate an empty sequence (its element shape is unknown)');
      const types = items.map((n) => s.typeOf(n, c.where));
      const first = types[0];
      if (first === undefined) throw c.error('internal: a non-empty sequence has no first item');
      const stack = c.int('new_axis', 0) === 1;
      const rank = first.shape.length + (stack ? 1 : 0);
      const axis = c.e.axis(c.intReq('axis'), rank);
      types.forEach((t, i) => {
        const same = stack ? typesEqual(t, first) : t.dtype === first.dtype && t.shape.length === first.shape.length && t.shape.every((d, k) => k === axis || d === first.shape[k]);
        if (!same) throw c.error(`item #${i} ${formatType(t)} does not match item #0 ${formatType(first)}${stack ? '' : ` outside axis ${axis}`}`);
      });
      const values = items.map((name) => {
        const v = s.value(name, c.where);
        const shape = c.e.shape(v);
        return stack ? c.e.reshape(v, [...shape.slice(0, axis), 1, ...shape.slice(axis)]) : v;
      });
      const [only, ...more] = values;
      if (only === undefined) throw c.error('internal: a non-empty sequence has no first item');
      return { kind: 'value', id: more.length === 0 ? only : c.e.op('concat', values, { axis }) };
    },
  },
};
