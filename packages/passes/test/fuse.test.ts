// Fusion: the fused form (every node a call of a kernel) on an MLP training step, row kernels for layer norm and
// logsumexp, device limits (storage buffers, workgroup memory), the recompute rule, outline.

import { classifyKernel, parse, print, type Graph } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { fuseGraph, fusePass, outline, outlinePass } from '../src/index.js';
import { checkFusedForm } from '@kiln/fuzz';
import { expectPassSound, inputsFor } from './helpers.js';
import { mlpTrainingStep } from './mlp.js';

function kernelClasses(g: Graph): string[] {
  return g.kernels.map((k) => {
    const c = classifyKernel(k);
    return c.ok ? c.cls.kind : `invalid: ${c.reason}`;
  });
}

const LAYER_NORM = `graph @ln(%x: f32[4,8], %g: f32[8], %b: f32[8]) -> (y: f32[4,8]) {
  %s: f32[4] = reduce_sum %x {axes=[1]}
  %n: f32[4] = constant {value=0.125}
  %mean: f32[4] = mul %s, %n
  %mb: f32[4,8] = broadcast %mean {dims=[0], shape=[4,8]}
  %c: f32[4,8] = sub %x, %mb
  %sq: f32[4,8] = mul %c, %c
  %vs: f32[4] = reduce_sum %sq {axes=[1]}
  %var: f32[4] = mul %vs, %n
  %eps: f32[4] = constant {value=0.00001}
  %ve: f32[4] = add %var, %eps
  %r: f32[4] = rsqrt %ve
  %rb: f32[4,8] = broadcast %r {dims=[0], shape=[4,8]}
  %xn: f32[4,8] = mul %c, %rb
  %gb: f32[4,8] = broadcast %g {dims=[1], shape=[4,8]}
  %bb: f32[4,8] = broadcast %b {dims=[1], shape=[4,8]}
  %t: f32[4,8] = mul %xn, %gb
  %y: f32[4,8] = add %t, %bb
  return %y
}
`;

const LOGSUMEXP = `graph @lse(%x: f32[3,5]) -> (y: f32[3]) {
  %m: f32[3] = reduce_max %x {axes=[1]}
  %mb: f32[3,5] = broadcast %m {dims=[0], shape=[3,5]}
  %d: f32[3,5] = sub %x, %mb
  %e: f32[3,5] = exp %d
  %s: f32[3] = reduce_sum %e {axes=[1]}
  %l: f32[3] = log %s
  %y: f32[3] = add %l, %m
  return %y
}
`;

const SOFTMAX = `graph @softmax(%x: f32[4,8]) -> (y: f32[4,8]) {
  %m: f32[4] = reduce_max %x {axes=[1]}
  %mb: f32[4,8] = broadcast %m {dims=[0], shape=[4,8]}
  %d: f32[4,8] = sub %x, %mb
  %e: f32[4,8] = exp %d
  %s: f32[4] = reduce_sum %e {axes=[1]}
  %sb: f32[4,8] = broadcast %s {dims=[0], shape=[4,8]}
  %y: f32[4,8] = div %e, %sb
  return %y
}
`;

describe('fuse on a 2-layer MLP training step', () => {
  const g = mlpTrainingStep();
  const fused = fuseGraph(g).graph;

  it('produces the fused form and computes the same outputs', () => {
    expect(checkFusedForm(fused)).toEqual([]);
    expect(kernelClasses(fused).filter((c) => c.startsWith('invalid'))).toEqual([]);
    expect(expectPassSound(fusePass, g)).toBeUndefined();
  });

  it('needs at most a third as many kernels as primitive ops', () => {
    expect(g.nodes.length).toBe(38);
    expect(fused.nodes.length).toBeLessThanOrEqual(Math.floor(38 / 3));
  });

  it('fuses bias+relu and the SGD updates into matmul and reduction kernels', () => {
    const classes = kernelClasses(fused);
    // Five matmuls (2 forward, dW2, dH, dW1), each anchoring its own kernel.
    expect(classes.filter((c) => c === 'matmul')).toHaveLength(5);
    // Each update p - 0.1*dP is the epilogue of the matmul or reduction computing dP.
    const updateKernels = fused.outputs
      .filter((o) => o.updatesState)
      .map((o) => fused.nodes.find((n) => n.id === o.value))
      .map((n) => (n?.op === 'call' ? fused.kernels.find((k) => k.name === n.attrs.callee) : undefined));
    for (const k of updateKernels) {
      expect(k).toBeDefined();
      const ops = k!.nodes.map((n) => n.op);
      expect(ops[ops.length - 1]).toBe('sub');
      expect(ops.some((op) => op === 'matmul' || op === 'reduce_sum')).toBe(true);
    }
  });
});

describe('row kernels', () => {
  it('layer norm is one row kernel', () => {
    const g = parse(LAYER_NORM);
    const r = fuseGraph(g);
    expect(r.graph.nodes).toHaveLength(1);
    expect(kernelClasses(r.graph)).toEqual(['row']);
    expect(expectPassSound(fusePass, g)).toBeUndefined();
  });

  it('logsumexp is one row kernel with a per-row output', () => {
    const g = parse(LOGSUMEXP);
    const r = fuseGraph(g);
    expect(r.graph.nodes).toHaveLength(1);
    expect(kernelClasses(r.graph)).toEqual(['row']);
    expect(expectPassSound(fusePass, g)).toBeUndefined();
  });

  it('a row kernel needs scratch for its reductions at full width, not room for its row', () => {
    const g = parse(SOFTMAX);
    // Softmax tree-combines two reductions (max, sum) in 256 lanes of 4 bytes each: 2048 bytes.
    const tight = fuseGraph(g, { deviceLimits: { maxComputeWorkgroupStorageSize: 2047 } }).graph;
    expect(kernelClasses(tight)).not.toContain('row');
    expect(checkFusedForm(tight)).toEqual([]);
    const roomy = fuseGraph(g, { deviceLimits: { maxComputeWorkgroupStorageSize: 2048 } }).graph;
    expect(kernelClasses(roomy)).toEqual(['row']);
    expect(expectPassSound({ ...fusePass, run: (x) => fuseGraph(x, { deviceLimits: { maxComputeWorkgroupStorageSize: 2047 } }) }, g)).toBeUndefined();
    // The row is re-read by each pass, never cached: a 16,384-long row (64 KiB) is still one kernel.
    const long = parse(SOFTMAX.replaceAll('4,8', '2,16384').replaceAll('f32[4]', 'f32[2]'));
    expect(kernelClasses(fuseGraph(long).graph)).toEqual(['row']);
  });

  it('reductions over different axes do not share a kernel', () => {
    const g = parse(`graph @g(%x: f32[3,4]) -> (y: f32[]) {
  %a: f32[3] = reduce_sum %x {axes=[1]}
  %b: f32[] = reduce_sum %a {axes=[0]}
  return %b
}
`);
    const r = fuseGraph(g).graph;
    expect(r.nodes).toHaveLength(2);
    expect(kernelClasses(r)).toEqual(['reduction', 'reduction']);
  });
});

describe('device limits', () => {
  it('keeps every kernel within maxStorageBuffersPerShaderStage', () => {
    const g = mlpTrainingStep();
    for (const limit of [3, 4, 5]) {
      const opts = { deviceLimits: { maxStorageBuffersPerShaderStage: limit } };
      const r = fuseGraph(g, opts).graph;
      expect(checkFusedForm(r, opts)).toEqual([]);
      for (const k of r.kernels) expect(k.inputs.length).toBeLessThanOrEqual(limit - 1);
      expect(expectPassSound({ ...fusePass, run: (x) => fuseGraph(x, opts) }, g)).toBeUndefined();
    }
  });

  it('splits a concat wider than the limit into a tree of concats', () => {
    const names = Array.from({ length: 10 }, (_, i) => `x${i}`);
    const g = parse(`graph @g(${names.map((n) => `%${n}: f32[2]`).join(', ')}) -> (y: f32[20]) {
  %c: f32[20] = concat ${names.map((n) => `%${n}`).join(', ')} {axis=0}
  return %c
}
`);
    const opts = { deviceLimits: { maxStorageBuffersPerShaderStage: 4 } };
    const r = fuseGraph(g, opts);
    expect(r.stats['splitConcats']).toBe(1);
    expect(checkFusedForm(r.graph, opts)).toEqual([]);
    expect(expectPassSound({ ...fusePass, run: (x) => fuseGraph(x, opts) }, g)).toBeUndefined();
    const o = outline(g, opts);
    expect(checkFusedForm(o, opts)).toEqual([]);
  });
});

describe('recompute rule', () => {
  const shared = parse(`graph @g(%x: f32[4]) -> (a: f32[], b: f32[]) {
  %e: f32[4] = exp %x
  %s1: f32[] = reduce_sum %e {axes=[0]}
  %s2: f32[] = reduce_max %e {axes=[0]}
  return %s1, %s2
}
`);

  it('recomputes a cheap shared value in each kernel by default', () => {
    const r = fuseGraph(shared);
    expect(r.graph.nodes).toHaveLength(2);
    expect(r.stats['recomputed']).toBe(1);
  });

  it('materializes it when maxRecomputeOps is 0', () => {
    const r = fuseGraph(shared, { maxRecomputeOps: 0 });
    expect(r.graph.nodes).toHaveLength(3);
    expect(r.stats['recomputed']).toBe(0);
    expect(expectPassSound({ ...fusePass, run: (x) => fuseGraph(x, { maxRecomputeOps: 0 }) }, shared)).toBeUndefined();
  });

  it('never recomputes an anchor: a matmul used twice is one kernel', () => {
    const g = parse(`graph @g(%x: f32[2,2], %w: f32[2,2]) -> (a: f32[2,2], b: f32[2,2]) {
  %m: f32[2,2] = matmul %x, %w
  %a: f32[2,2] = exp %m
  %b: f32[2,2] = neg %m
  return %a, %b
}
`);
    const r = fuseGraph(g).graph;
    expect(r.nodes.filter((n) => n.op === 'call')).toHaveLength(3);
    expect(r.kernels.flatMap((k) => k.nodes).filter((n) => n.op === 'matmul')).toHaveLength(1);
  });
});

describe('outline and idempotence', () => {
  it('outline gives one call per node and keeps the values', () => {
    const g = mlpTrainingStep();
    const o = outline(g);
    expect(o.nodes).toHaveLength(g.nodes.length);
    expect(checkFusedForm(o)).toEqual([]);
    expect(expectPassSound(outlinePass, g)).toBeUndefined();
  });

  it('fusing an already fused graph changes nothing', () => {
    const once = fuseGraph(mlpTrainingStep()).graph;
    const twice = fusePass.run(once, {});
    expect(twice.changed).toBe(false);
    expect(print(twice.graph)).toBe(print(once));
  });

  it('leaves the input graph untouched', () => {
    const g = parse(SOFTMAX);
    const before = print(g);
    fuseGraph(g);
    outline(g);
    expect(print(g)).toBe(before);
    expect(inputsFor(g)['x']).toHaveLength(32);
  });
});
