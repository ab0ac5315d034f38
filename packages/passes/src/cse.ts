// Pass `cse`: common-subexpression elimination by structural hashing. Two nodes merge when op,
// (resolved) operands, attributes, annotations and result type agree; constants compare by value.
// structuralKey spells that out; the pass itself finds matches by hash and exact comparison.

import { ANNOTATION_KEYS, algebraOf, formatType, type Node, type ValueId } from '@kiln/ir';
import { constantKey } from './constants.js';
import { attrsText } from './node-text.js';
import type { Pass, PassResult } from './pass.js';
import { GraphRewriter } from './rewrite.js';
import { StructuralTable, structuralHash } from './structural-hash.js';

/**
 * The structural key of `n` read with `operands` in place of its own (its resolved operands).
 * random_bits nodes with different keys have different operands, so they never collide; equal
 * keys draw equal bits.
 */
/** `operands` in key order: commutative ops (the registry's algebra facts) are keyed by their operand set. */
function keyOrder(n: Node, operands: readonly ValueId[]): readonly ValueId[] {
  return operands.length > 1 && algebraOf(n.op).commutative ? [...operands].sort((a, b) => a - b) : operands;
}

/**
 * The structural key of a node whose operands are already resolved: cse merges two nodes exactly
 * when their keys are equal (it compares structures through StructuralTable instead of building
 * these strings). random_bits nodes with different keys have different operands, so they never
 * collide; equal keys draw equal bits.
 */
export function structuralKey(n: Node): string {
  let key = `${n.op}|${formatType(n.type)}|${keyOrder(n, n.operands).join(',')}|${n.op === 'constant' ? constantKey(n) : attrsText(n, '|', '?')}`;
  const a = n.annotations;
  if (a !== undefined)
    for (const k of ANNOTATION_KEYS) {
      const v = a[k];
      if (v !== undefined) key += `|${k}:${v}`;
    }
  return key;
}

export const csePass: Pass = {
  name: 'cse',
  description: 'merge structurally identical nodes (same op, operands, attributes, type; constants by value)',
  run(graph): PassResult {
    const rw = new GraphRewriter(graph);
    const seen = new StructuralTable();
    let merged = 0;
    for (const node of graph.nodes) {
      const operands = keyOrder(node, rw.resolveAll(node.operands));
      const hash = structuralHash(node, operands);
      const prior = seen.find(node, operands, hash);
      if (prior !== undefined) {
        rw.replace(node, prior);
        merged++;
        continue;
      }
      seen.add(node, operands, hash, rw.keep(node));
    }
    if (merged === 0) return { graph, changed: false, stats: { merged: 0 } };
    return { graph: rw.finish(), changed: true, stats: { merged } };
  },
};
