// Memory planning: the best-fit arena by hand, plans of real graphs checked by the independent
// plan checker, peak against the liveness lower bound, and in-place rules.

import { parse, type Graph, type Node } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { arenaSize, checkMemoryPlan, fuseGraph, outline, planMemory, runPipeline } from '../src/index.js';
import { generateGraph } from '@kiln/fuzz';
import { Arena, alignUp, arenaBytesOf } from '../src/memory/arena.js';
import { mlpTrainingStep } from './mlp.js';

describe('arena', () => {
  it('aligns blocks to 256 bytes', () => {
    expect(alignUp(1)).toBe(256);
    expect(alignUp(256)).toBe(256);
    expect(alignUp(257)).toBe(512);
    expect(arenaBytesOf({ dtype: 'f32', shape: [65] })).toBe(512);
    expect(arenaBytesOf({ dtype: 'bool', shape: [0, 3] })).toBe(0);
  });

  it('takes the smallest hole that fits, not the first', () => {
    const a = new Arena();
    const x = a.alloc(512);
    a.alloc(256);
    const z = a.alloc(256);
    a.alloc(256);
    expect([x, z]).toEqual([0, 768]);
    a.release(x, 512); // hole [0, 512)
    a.release(z, 256); // hole [768, 1024)
    expect(a.alloc(256)).toBe(768);
    expect(a.alloc(256)).toBe(0);
    expect(a.peak).toBe(1280);
  });

  it('merges neighbouring holes and gives space back at the top', () => {
    const a = new Arena();
    const p = a.alloc(256);
    const q = a.alloc(256);
    const r = a.alloc(256);
    a.release(q, 256);
    a.release(p, 256);
    expect(a.alloc(512)).toBe(0); // [0,256) and [256,512) merged
    a.release(r, 256); // top shrinks back to 512
    expect(a.alloc(512)).toBe(512);
    expect(a.peak).toBe(1024);
  });

  it('gives empty tensors no space', () => {
    const a = new Arena();
    expect(a.alloc(0)).toBe(0);
    expect(a.alloc(256)).toBe(0);
    expect(a.peak).toBe(256);
  });
});

describe('plans', () => {
  it('plans the fused MLP step: valid, in place where legal, peak between bound and naive', () => {
    const r = runPipeline(mlpTrainingStep(), 'dce,cse,fold-constants,simplify,fuse,plan-memory', { verify: true });
    const g = r.graph;
    expect(checkMemoryPlan(g)).toEqual([]);
    const stats = r.stats[r.stats.length - 1]!.stats;
    expect(stats['peakBytes']).toBeGreaterThanOrEqual(stats['lowerBoundBytes']!);
    expect(stats['peakBytes']).toBeLessThanOrEqual(stats['naiveBytes']!);
    expect(arenaSize(g)).toBe(stats['peakBytes']);
    // w1 and w2 are read by nothing after their update kernels, and only in the epilogue: in place.
    const inplace = g.nodes.filter((n) => n.annotations?.inplace === 1).map((n) => g.outputs.find((o) => o.value === n.id)?.name);
    expect(inplace.sort()).toEqual(['w1', 'w2']);
  });

  it('stays close to the lower bound on random fused and outlined graphs', () => {
    const ratios: number[] = [];
    for (let seed = 0; seed < 150; seed++) {
      const { graph } = generateGraph(seed, { maxSteps: 16 });
      for (const g of [outline(graph), fuseGraph(graph).graph]) {
        const { graph: planned, stats } = planMemory(g);
        expect(checkMemoryPlan(planned)).toEqual([]);
        expect(stats.peakBytes).toBeGreaterThanOrEqual(stats.lowerBoundBytes);
        if (stats.lowerBoundBytes > 0) ratios.push(stats.peakBytes / stats.lowerBoundBytes);
      }
    }
    expect(ratios.length).toBeGreaterThan(100);
    expect(Math.max(...ratios)).toBeLessThanOrEqual(1.5);
    expect(ratios.reduce((a, b) => a + b, 0) / ratios.length).toBeLessThan(1.05);
  });

  it('never updates in place when the old state is also returned', () => {
    const g = parse(`graph @g(%s: f32[2] {state}) -> (old: f32[2], %s: f32[2]) {
  %n: f32[2] = neg %s
  return %s, %n
}
`);
    const planned = planMemory(g).graph;
    expect(planned.nodes[0]?.annotations).toEqual({ buf: 2 });
    expect(checkMemoryPlan(planned)).toEqual([]);
  });

  it('never updates in place through a layout op', () => {
    const g = parse(`graph @g(%s: f32[2,2] {state}) -> (%s: f32[2,2]) {
  %n: f32[2,2] = transpose %s {perm=[1,0]}
  return %n
}
`);
    expect(planMemory(g).graph.nodes[0]?.annotations?.inplace).toBeUndefined();
  });
});

describe('the plan checker', () => {
  const planned = (): Graph =>
    planMemory(
      parse(`graph @g(%x: f32[64]) -> (out: f32[64]) {
  %a: f32[64] = exp %x
  %b: f32[64] = neg %a
  %c: f32[64] = add %a, %b
  return %c
}
`),
    ).graph;

  const withAnnotation = (g: Graph, i: number, a: NonNullable<Node['annotations']>): Graph => ({
    ...g,
    nodes: g.nodes.map((n, k) => (k === i ? { ...n, annotations: a } : n)),
  });

  it('accepts the planner output', () => {
    const g = planned();
    expect(g.nodes.map((n) => n.annotations)).toEqual([{ buf: 0, offset: 0 }, { buf: 0, offset: 256 }, { buf: 2 }]);
    expect(checkMemoryPlan(g)).toEqual([]);
  });

  it('reports live values that overlap', () => {
    expect(checkMemoryPlan(withAnnotation(planned(), 1, { buf: 0, offset: 0 })).join()).toMatch(/overlap in the arena/);
  });

  it('reports misaligned offsets, missing buffers and illegal in-place writes', () => {
    expect(checkMemoryPlan(withAnnotation(planned(), 1, { buf: 0, offset: 128 })).join()).toMatch(/not 256-aligned/);
    expect(checkMemoryPlan(withAnnotation(planned(), 1, {})).join()).toMatch(/no buffer/);
    expect(checkMemoryPlan(withAnnotation(planned(), 2, { buf: 1, inplace: 1 })).join()).toMatch(/not its state's/);
  });
});
