// codegen's generateGraph (the runtime's codegen step) generates each (kernel, operand aliasing) pair once and reuses it for every call:
// on a stack of identical blocks the calls share few generated kernels, and each shared one is
// exactly what generating that call on its own gives (same WGSL, bindings and dispatch).

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { CORE_DEFAULT_LIMITS, generateGraph, generateKernel } from '@kiln/codegen-wgsl';
import { GraphIndex } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';

describe('generateGraph', () => {
  it('shares generated code between calls of one kernel, identical to generating each call alone', () => {
    const traced = k.trace(
      ({ x, w }) => {
        let h = x;
        for (let i = 0; i < 40; i++) h = k.add(h, k.tanh(k.matmul(h, w)));
        return { y: h };
      },
      { x: k.f32([8, 8]), w: k.f32([8, 8]) },
      { locations: false },
    );
    const graph = runPipeline(traced.graph, DEFAULT_PIPELINE).graph;
    const placed = generateGraph(graph, CORE_DEFAULT_LIMITS, {});
    expect(placed.kernels).toHaveLength(graph.nodes.length);
    const distinct = new Set(placed.kernels);
    expect(distinct.size).toBeLessThan(graph.nodes.length / 4);
    // Regenerate every call without sharing: same code. Calls whose operands alias their output
    // differently must not share (their bindings' access modes differ).
    const index = new GraphIndex(graph);
    const byText = new Map<string, unknown>();
    graph.nodes.forEach((node, i) => {
      if (node.op !== 'call') throw new Error('not fused');
      const shared = placed.kernels[i]!;
      // The aliasing rule, from the placement: an operand in the output's buffer is read_write
      // (no in-place updates here, so none is read from the output itself).
      const out = placed.placement.get(node.id)!;
      const readWrite = new Set(node.operands.flatMap((o, j) => (placed.placement.get(o)!.buffer === out.buffer ? [j] : [])));
      const alone = generateKernel(index.kernels.get(node.attrs.callee)!, CORE_DEFAULT_LIMITS, {}, { readWrite, fromOutput: new Set() });
      expect(shared.wgsl).toBe(alone.wgsl);
      expect(shared.name).toBe(alone.name);
      expect(shared.dispatch()).toEqual(alone.dispatch());
      byText.set(shared.wgsl, shared);
    });
    expect(byText.size).toBe(distinct.size);
  });
});
