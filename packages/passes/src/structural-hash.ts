// cse's table of nodes seen so far, by structure: a 32-bit hash of what structuralKey would spell
// (op, type, operands, attributes, constant value, annotations) picks a bucket, and an exact
// comparison decides. Building and hashing a key string per node was most of cse's time.

import { ANNOTATION_KEYS, opDefErased, typesEqual, type AttrValue, type Node, type OpKind, type ValueId } from '@kiln/ir';
import { constantKey } from './constants.js';
import { attrsText } from './node-text.js';

const FNV_PRIME = 16777619;
const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, FNV_PRIME);
}

function mixNumber(h: number, v: number): number {
  if ((v | 0) === v) return mix(h, v);
  scratch[0] = v;
  return mix(mix(h, scratchWords[0]!), scratchWords[1]!);
}

function mixString(h: number, s: string): number {
  let x = mix(h, s.length);
  for (let i = 0; i < s.length; i++) x = mix(x, s.charCodeAt(i));
  return x;
}

function mixAttr(h: number, v: AttrValue | readonly number[]): number {
  if (typeof v === 'number') return mixNumber(h, v);
  if (typeof v === 'boolean') return mix(h, v ? 1 : 2);
  if (typeof v === 'string') return mixString(h, v);
  let x = mix(h, v.length);
  for (const e of v) x = mixAttr(x, e);
  return x;
}

const attrNames = new Map<OpKind, readonly string[]>();

function attrNamesOf(op: OpKind): readonly string[] {
  let names = attrNames.get(op);
  if (names === undefined) attrNames.set(op, (names = Object.keys(opDefErased(op).attrs)));
  return names;
}

interface Seen {
  readonly node: Node;
  /** The operands the node was keyed with (resolved; sorted for commutative ops). */
  readonly operands: readonly ValueId[];
  readonly id: ValueId;
  /** constantKey or attribute text, computed when a comparison first needs it. */
  text?: string;
}

function textOf(n: Node): string {
  return n.op === 'constant' ? constantKey(n) : attrsText(n, '|', '?');
}

function sameAnnotations(a: Node, b: Node): boolean {
  if (a.annotations === b.annotations) return true;
  for (const k of ANNOTATION_KEYS) if (a.annotations?.[k] !== b.annotations?.[k]) return false;
  return true;
}

/** Nodes by structure; `operands` are a node's resolved operands, in key order (sorted if commutative). */
export class StructuralTable {
  private readonly buckets = new Map<number, Seen[]>();

  /** The id of a node already added with the same structure, else undefined. */
  find(n: Node, operands: readonly ValueId[], hash: number): ValueId | undefined {
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) return undefined;
    let text: string | undefined;
    for (const s of bucket) {
      const m = s.node;
      if (m.op !== n.op || s.operands.length !== operands.length || !typesEqual(m.type, n.type) || !sameAnnotations(m, n)) continue;
      let i = 0;
      while (i < operands.length && s.operands[i] === operands[i]) i++;
      if (i < operands.length) continue;
      if (attrNamesOf(n.op).length > 0 && (s.text ??= textOf(m)) !== (text ??= textOf(n))) continue;
      return s.id;
    }
    return undefined;
  }

  add(n: Node, operands: readonly ValueId[], hash: number, id: ValueId): void {
    const entry: Seen = { node: n, operands, id };
    const bucket = this.buckets.get(hash);
    if (bucket === undefined) this.buckets.set(hash, [entry]);
    else bucket.push(entry);
  }
}

/** The hash of `n`'s structure read with `operands` (in key order). Equal structures hash equally. */
export function structuralHash(n: Node, operands: readonly ValueId[]): number {
  let h = mixString(0x811c9dc5, n.op);
  h = mixString(h, n.type.dtype);
  h = mixAttr(h, n.type.shape);
  h = mixAttr(h, operands);
  if (n.op === 'constant') h = mixString(h, constantKey(n));
  else {
    const attrs = n.attrs as Readonly<Record<string, AttrValue | undefined>>;
    for (const name of attrNamesOf(n.op)) {
      const v = attrs[name];
      h = v === undefined ? mix(h, 3) : mixAttr(h, v);
    }
  }
  const a = n.annotations;
  if (a !== undefined)
    ANNOTATION_KEYS.forEach((k, i) => {
      const v = a[k];
      if (v !== undefined) h = mixNumber(mix(h, i), v);
    });
  return h;
}
