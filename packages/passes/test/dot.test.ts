// graphToDot: one cluster per kernel call holding the kernel's body, types on every edge, state
// inputs and state updates drawn apart from data, and text Graphviz can read (quoting, braces).
// (Rendering through Graphviz itself is checked by tests/cli/wgsl.test.ts, kiln dump --svg.)

import { parse, type Graph } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, graphToDot, runPipeline } from '../src/index.js';
import { mlpTrainingStep } from './mlp.js';

const edges = (dot: string): string[] => dot.split('\n').filter((l) => l.includes(' -> '));
const clusters = (dot: string): string[] => dot.split('\n').filter((l) => l.trim().startsWith('subgraph cluster_'));

function balanced(dot: string): boolean {
  // Braces outside quoted strings: labels may contain any text.
  let depth = 0;
  const unquoted = dot.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const c of unquoted) {
    if (c === '{') depth++;
    if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

describe('graphToDot', () => {
  const step = mlpTrainingStep();

  it('draws an unfused graph node by node: no clusters, every edge labelled with its type', () => {
    const dot = graphToDot(step);
    expect(balanced(dot)).toBe(true);
    expect(clusters(dot)).toEqual([]);
    expect(dot.split('\n').filter((l) => /^ {2}n\d+ \[label=/.test(l))).toHaveLength(step.nodes.length);
    const operandCount = step.nodes.reduce((s, n) => s + n.operands.length, 0);
    expect(edges(dot)).toHaveLength(operandCount + step.outputs.length);
    for (const e of edges(dot)) expect(e).toMatch(/\[label="(f32|i32|u32|bool)\[[\d,]*\]"/);
  });

  it('draws each call of the fused, planned graph as a cluster named after its kernel, holding its body', () => {
    const fused = runPipeline(step, DEFAULT_PIPELINE).graph;
    const calls = fused.nodes.filter((n) => n.op === 'call');
    const dot = graphToDot(fused);
    expect(balanced(dot)).toBe(true);
    expect(clusters(dot)).toHaveLength(calls.length);
    for (const c of calls) {
      if (c.op !== 'call') continue;
      const kernel = fused.kernels.find((k) => k.name === c.attrs.callee)!;
      expect(dot).toMatch(new RegExp(`label="@${c.attrs.callee} \\(\\w+(, in place)?\\)"`));
      // Every body node sits inside the cluster (declared between its braces).
      const i = fused.nodes.indexOf(c);
      const block = dot.slice(dot.indexOf(`subgraph cluster_${i} {`), dot.indexOf('\n  }', dot.indexOf(`subgraph cluster_${i} {`)));
      expect(block.split('\n').filter((l) => new RegExp(`^ {4}k${i}_\\d+ \\[`).test(l))).toHaveLength(kernel.nodes.length);
    }
    for (const e of edges(dot)) expect(e).toMatch(/\[label="(f32|i32|u32|bool)\[[\d,]*\]"/);
  });

  it('tells state from data: state inputs and state updates are cylinders, updates dashed', () => {
    const dot = graphToDot(runPipeline(step, DEFAULT_PIPELINE).graph);
    for (const inp of step.inputs) {
      const line = dot.split('\n').find((l) => l.includes(`label="%${inp.name}`))!;
      expect(line).toContain(inp.state ? 'shape=cylinder' : 'shape=box');
      expect(line.includes('{state}')).toBe(inp.state);
    }
    const updates = dot.split('\n').filter((l) => l.includes('{state update}'));
    expect(updates).toHaveLength(step.outputs.filter((o) => o.updatesState).length);
    for (const u of updates) expect(u).toContain('style="filled,dashed"');
    const lossOut = dot.split('\n').find((l) => /^ {2}out\d+ \[label="loss"/.test(l));
    expect(lossOut).toContain('shape=box');
  });

  it('gives a kernel that returns its input unchanged a node of its own, and quotes names', () => {
    const g: Graph = parse(`kernel @id(%a: f32[2]) -> (out: f32[2]) {
  return %a
}

graph @g(%x.y: f32[2]) -> (y: f32[2]) {
  %0: f32[2] = call %x.y {callee=@id}
  return %0
}
`);
    const dot = graphToDot(g);
    expect(balanced(dot)).toBe(true);
    expect(dot).toContain('k0_out [label="copy"');
    expect(edges(dot)).toEqual(['  in0 -> k0_out [label="f32[2]"];', '  k0_out -> out0 [label="f32[2]"];']);
    expect(dot).toContain('label="%x.y"');
  });
});
