// Pass `simplify`: algebraic identities from the rule table (rules.ts), applied in one forward
// sweep per round until nothing fires, then dead nodes are dropped.
//
// IEEE policy: rules must give bit-identical results for every input, NaN/inf/-0 included, so
// x*0, x-x and x+(+0) are NOT folded for floats (NaN*0 = NaN, inf-inf = NaN, -0+0 = +0); only
// x+(-0), x-(+0), x*1, x/1, and x/2^k → x*2^-k are. The one deliberate exception is
// log(exp x) → x (as XLA does): more accurate, but not bit-identical (two roundings go, and it
// differs where exp over/underflows); the `strictFloat` option turns it off.

import type { Graph, Node, OpKind, ValueId } from '@kiln/ir';
import { removeDeadNodes } from '../dce.js';
import type { Pass, PassResult } from '../pass.js';
import { GraphRewriter } from '../rewrite.js';
import { contextFor, type NamedRule, type SimplifyContext } from './rule.js';
import { simplifyRules } from './rules.js';

const MAX_ROUNDS = 8;

function applyRules(node: Node, ctx: SimplifyContext, strict: boolean): { value: ValueId; rule: string } | undefined {
  const rules = simplifyRules[node.op] as readonly NamedRule<OpKind>[];
  for (const r of rules) {
    if (strict && r.inexact) continue;
    const v = r.apply(node, ctx);
    if (v !== undefined) return { value: v, rule: r.name };
  }
  return undefined;
}

/** One forward sweep; returns the rewritten graph and how often each rule fired. */
function sweep(g: Graph, fired: Map<string, number>, strict: boolean): Graph | undefined {
  const rw = new GraphRewriter(g);
  const ctx = contextFor(rw);
  let any = false;
  for (const node of g.nodes) {
    const operands = rw.resolveAll(node.operands);
    const resolved = operands === node.operands ? node : ({ ...node, operands } as Node);
    const hit = applyRules(resolved, ctx, strict);
    if (hit === undefined) {
      rw.keep(node);
      continue;
    }
    rw.replace(node, hit.value);
    fired.set(hit.rule, (fired.get(hit.rule) ?? 0) + 1);
    any = true;
  }
  return any ? rw.finish() : undefined;
}

export const simplifyPass: Pass = {
  name: 'simplify',
  description: 'algebraic identities (IEEE-exact except log(exp x) → x, off with strictFloat), then drop dead nodes',
  run(graph, options): PassResult {
    const fired = new Map<string, number>();
    let g = graph;
    let rounds = 0;
    for (; rounds < MAX_ROUNDS; rounds++) {
      const next = sweep(g, fired, options.strictFloat === true);
      if (next === undefined) break;
      g = next;
    }
    if (rounds === 0) return { graph, changed: false, stats: { rewrites: 0, removedNodes: 0 } };
    const dce = removeDeadNodes(g);
    const stats: Record<string, number> = { rewrites: [...fired.values()].reduce((s, x) => s + x, 0), removedNodes: dce.removedNodes };
    for (const [name, count] of fired) stats[name] = count;
    return { graph: dce.graph, changed: true, stats };
  },
};
