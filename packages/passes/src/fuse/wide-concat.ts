// Device-limit legalization before fusion: a concat with more operands than a kernel may bind
// storage buffers is split into a tree of narrower concats (the same elements in the same order).

import { type Graph, type Node, type ValueId } from '@kiln/ir';
import { GraphRewriter, extrasOf } from '../rewrite.js';

/** Splits every concat with more than `maxOperands` operands; returns the graph unchanged if none. */
export function splitWideConcats(g: Graph, maxOperands: number): { graph: Graph; split: number } {
  const width = Math.max(2, maxOperands);
  if (!g.nodes.some((n) => n.op === 'concat' && n.operands.length > width)) return { graph: g, split: 0 };
  const rw = new GraphRewriter(g);
  let split = 0;
  for (const node of g.nodes) {
    if (node.op !== 'concat' || node.operands.length <= width) {
      rw.keep(node);
      continue;
    }
    let level: ValueId[] = node.operands.map((o) => rw.resolve(o));
    while (level.length > width) {
      const next: ValueId[] = [];
      for (let i = 0; i < level.length; i += width) {
        const group = level.slice(i, i + width);
        next.push(group.length === 1 ? group[0]! : rw.emit('concat', group, { axis: node.attrs.axis }));
      }
      level = next;
    }
    const top = rw.emit('concat', level, { axis: node.attrs.axis }, undefined, extrasOf(node as Node));
    rw.replace(node, top);
    split++;
  }
  return { graph: rw.finish(), split };
}
