// Pass `cse`: common-subexpression elimination by structural hashing. Two nodes merge when op,
// (resolved) operands, attributes, annotations and result type agree; constants compare by value.

import { ANNOTATION_KEYS, algebraOf, formatAttrValue, formatType, opDefErased, type AttrValue, type Node } from '@kiln/ir';
import { constantKey } from './constants.js';
import type { Pass, PassResult } from './pass.js';
import { GraphRewriter } from './rewrite.js';

/**
 * The structural key of a node whose operands are already resolved. random_bits nodes with
 * different keys have different operands, so they never collide; equal keys draw equal bits.
 */
export function structuralKey(n: Node): string {
  // Commutative ops (the registry's algebra facts) are keyed by their operand set.
  const operands = algebraOf(n.op).commutative ? [...n.operands].sort((a, b) => a - b) : n.operands;
  const parts = [n.op, formatType(n.type), operands.join(',')];
  if (n.op === 'constant') parts.push(constantKey(n));
  else {
    const attrs = n.attrs as Readonly<Record<string, AttrValue>>;
    for (const [key, kind] of Object.entries(opDefErased(n.op).attrs)) {
      const v = attrs[key];
      parts.push(`${key}=${v === undefined ? '?' : formatAttrValue(kind, v)}`);
    }
  }
  for (const k of ANNOTATION_KEYS) {
    const v = n.annotations?.[k];
    if (v !== undefined) parts.push(`${k}:${v}`);
  }
  return parts.join('|');
}

export const csePass: Pass = {
  name: 'cse',
  description: 'merge structurally identical nodes (same op, operands, attributes, type; constants by value)',
  run(graph): PassResult {
    const rw = new GraphRewriter(graph);
    const seen = new Map<string, number>();
    let merged = 0;
    for (const node of graph.nodes) {
      const resolved = { ...node, operands: node.operands.map((o) => rw.resolve(o)) } as Node;
      const key = structuralKey(resolved);
      const prior = seen.get(key);
      if (prior !== undefined) {
        rw.replace(node, prior);
        merged++;
        continue;
      }
      seen.set(key, rw.keep(node));
    }
    if (merged === 0) return { graph, changed: false, stats: { merged: 0 } };
    return { graph: rw.finish(), changed: true, stats: { merged } };
  },
};
