// The fuzzer: every primitive can be generated, generated graphs are valid, every pass survives
// 300 random graphs, a planted bug is caught (and shrunk) within 200, findings are reproducible.

import { OP_KINDS, print, verify, type Graph } from '@kiln/ir';
import { interpret } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { PASSES, removeDeadNodes } from '@kiln/passes';
import { formatFinding, fuzz, generateGraph, shrinkCase } from '../src/index.js';
import { brokenSimplify } from './fixtures/broken-simplify.js';

describe('generator', () => {
  it('can generate every op of the registry', () => {
    const missing: string[] = [];
    for (const op of OP_KINDS)
      for (const seed of [1, 2, 3]) {
        const { graph, inputs } = generateGraph(seed * 7919 + op.length, { forceOps: [op] });
        if (!graph.nodes.some((n) => n.op === op)) missing.push(`${op}@${seed}`);
        expect(verify(graph), `${op} seed ${seed}`).toEqual([]);
        expect(() => interpret(graph, inputs)).not.toThrow();
      }
    expect(missing).toEqual([]);
  });

  it('is deterministic in its seed', () => {
    const a = generateGraph(42);
    const b = generateGraph(42);
    expect(print(a.graph)).toBe(print(b.graph));
    expect(a.inputs).toEqual(b.inputs);
    expect(print(generateGraph(43).graph)).not.toBe(print(a.graph));
  });

  it('covers broadcasting, odd sizes and empty tensors across a few hundred graphs', () => {
    let broadcastsExpanding = 0;
    let emptyValues = 0;
    const sizes = new Set<number>();
    for (let seed = 0; seed < 300; seed++) {
      const { graph } = generateGraph(seed);
      for (const n of graph.nodes) {
        n.type.shape.forEach((d) => sizes.add(d));
        if (n.type.shape.includes(0)) emptyValues++;
        if (n.op === 'broadcast') broadcastsExpanding++;
      }
    }
    expect(broadcastsExpanding).toBeGreaterThan(100);
    expect(emptyValues).toBeGreaterThan(10);
    for (const d of [0, 1, 3, 7]) expect(sizes.has(d), `size ${d}`).toBe(true);
  });
});

describe('fuzzing the passes', () => {
  for (const pass of [...PASSES.map((p) => p.name), 'pipeline']) {
    it(`${pass}: 300 random graphs verify, round-trip and compute the same outputs`, () => {
      const report = fuzz({ seed: 20260 + pass.length * 1000, runs: 300, pass, maxFindings: 3 });
      expect(report.runs).toBe(300);
      expect(report.findings.map(formatFinding)).toEqual([]);
    });
  }
});

describe('fuzzing fusion under tight device limits', () => {
  // These limits made single ops that exceed them by themselves crash fusion (now: left alone).
  for (const [buffers, workgroup] of [
    [3, 1024],
    [4, 1100],
  ] as const)
    it(`fuse with ${buffers} storage buffers and ${workgroup} bytes of workgroup memory`, () => {
      const passOptions = { deviceLimits: { maxStorageBuffersPerShaderStage: buffers, maxComputeWorkgroupStorageSize: workgroup }, maxRecomputeOps: 1 };
      const report = fuzz({ seed: 22000 + buffers, runs: 300, pass: 'fuse', maxSteps: 20, passOptions, maxFindings: 3 });
      expect(report.findings.map(formatFinding)).toEqual([]);
    });
});

describe('the broken-pass fixture', () => {
  it('is caught within 200 runs and shrunk to a few nodes', () => {
    const report = fuzz({ seed: 1, runs: 200, pass: brokenSimplify, maxFindings: 1 });
    expect(report.findings).toHaveLength(1);
    const f = report.findings[0]!;
    expect(['verify', 'mismatch']).toContain(f.kind);
    expect(f.ir).toContain('broadcast');
    expect(f.minimalNodes).toBeLessThanOrEqual(3);
    expect(f.minimalNodes).toBeLessThan(f.originalNodes);
    const text = formatFinding(f);
    expect(text).toContain(`seed ${f.seed}`);
    expect(text).toContain(`kiln fuzz --seed ${f.seed} --runs 1 --pass simplify`);
    expect(text).toContain(f.ir.trimEnd());
    // The finding is reproducible from its seed alone.
    const again = fuzz({ seed: f.seed, runs: 1, pass: brokenSimplify });
    expect(again.findings[0]?.ir).toBe(f.ir);
  });

  it('is caught from other seeds too', () => {
    for (const seed of [1000, 77777]) expect(fuzz({ seed, runs: 200, pass: brokenSimplify, maxFindings: 1, shrink: false }).findings).toHaveLength(1);
  });
});

describe('shrinking', () => {
  it('cuts a graph down to the one node a predicate needs', () => {
    const hasSin = (x: { graph: Graph }): boolean => removeDeadNodes(x.graph).graph.nodes.some((n) => n.op === 'sin');
    let seed = 0;
    let c = generateGraph(seed, { forceOps: ['sin'], maxSteps: 12 });
    const big = (x: { graph: Graph }): boolean => x.graph.nodes.some((n) => n.op === 'sin' && n.type.shape.some((d) => d > 2));
    while (c.graph.nodes.length < 6 || !hasSin(c) || !big(c)) c = generateGraph(++seed, { forceOps: ['sin'], maxSteps: 12 });
    const r = shrinkCase(c, hasSin);
    expect(r.graph.nodes.map((n) => n.op)).toEqual(['sin']);
    // Dimension shrinking took every size down to 1 (or left an empty dim empty).
    expect(r.graph.nodes[0]!.type.shape.every((d) => d <= 1)).toBe(true);
    expect(verify(r.graph)).toEqual([]);
    expect(() => interpret(r.graph, r.inputs)).not.toThrow();
  });
});
