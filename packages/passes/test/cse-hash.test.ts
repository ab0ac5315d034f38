// cse finds duplicates by structural hash and exact comparison: it must merge exactly the nodes
// whose structuralKey strings are equal. Checked against a reference cse keyed by those strings,
// on every pass golden and per-op IR file and on an MLP training step.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, print, type Graph } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { GraphRewriter, csePass, structuralKey } from '../src/index.js';
import { mlpTrainingStep } from './mlp.js';

const GOLDEN = fileURLToPath(new URL('../../../tests/golden/', import.meta.url));

/** The string-keyed cse the pass replaced: the oracle. */
function referenceCse(graph: Graph): Graph {
  const rw = new GraphRewriter(graph);
  const seen = new Map<string, number>();
  for (const node of graph.nodes) {
    const key = structuralKey({ ...node, operands: node.operands.map((o) => rw.resolve(o)) });
    const prior = seen.get(key);
    if (prior !== undefined) rw.replace(node, prior);
    else seen.set(key, rw.keep(node));
  }
  return rw.finish();
}

function irFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? irFiles(join(dir, e.name)) : e.name.endsWith('.kir') ? [join(dir, e.name)] : []));
}

/** The first graph of a .kir file (golden files hold the input before `# ---- expected ----`). */
function firstGraph(path: string): Graph | undefined {
  const text = readFileSync(path, 'utf8').split('# ---- expected ----')[0]!;
  try {
    return parse(text, path);
  } catch {
    return undefined; // files that test parse or verify errors
  }
}

describe('cse by structural hash', () => {
  const graphs = irFiles(GOLDEN).flatMap((p) => {
    const g = firstGraph(p);
    return g === undefined ? [] : [[p.slice(GOLDEN.length), g] as const];
  });

  it('reads the IR files (the comparison below is not vacuous)', () => {
    expect(graphs.length).toBeGreaterThan(50);
  });

  it('merges exactly what the string-keyed reference merges, on every IR file', () => {
    let merges = 0;
    for (const [name, g] of graphs) {
      const got = csePass.run(g, {});
      expect(print(got.graph), name).toBe(print(referenceCse(g)));
      const merged = got.stats['merged'];
      expect(merged, name).toBeTypeOf('number');
      merges += Number(merged);
    }
    expect(merges).toBeGreaterThan(5);
  });

  it('matches the reference on an MLP training step', () => {
    const g = mlpTrainingStep();
    expect(print(csePass.run(g, {}).graph)).toBe(print(referenceCse(g)));
  });
});
