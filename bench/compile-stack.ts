// Benchmarks: the compile-time workload, a generated residual stack compiled trace → pass pipeline
// → WGSL (codegen's generateGraph, the runtime's placement + codegen step, against the core-default device limits, so no
// GPU), each phase timed. Shared by the bench's compile section and the growth-ratio test.

import * as k from '@kiln/frontend';
import { CORE_DEFAULT_LIMITS, generateGraph } from '@kiln/codegen-wgsl';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import type { CompileTimeResult } from './protocol.js';

const WIDTH = 16;

/**
 * A residual stack of `blocks` small layers: h = h + tanh(h @ w_i * 0.5 + b) * sigmoid(h), every
 * 4th block a softmax; mixes matmuls, elementwise chains, broadcasts and reductions, so fusion has
 * real choices to make.
 */
function stack(blocks: number): k.Traced {
  return k.trace(
    ({ x, w, b }) => {
      let h = x;
      for (let i = 0; i < blocks; i++) {
        const z = k.add(k.mul(k.matmul(h, w), 0.5 + (i % 7) * 0.01), b);
        h = k.add(h, k.mul(k.tanh(z), k.sigmoid(h)));
        if (i % 4 === 3) h = k.softmax(h, -1);
      }
      return { y: h };
    },
    { x: k.f32([WIDTH, WIDTH]), w: k.f32([WIDTH, WIDTH]), b: k.f32([WIDTH]) },
    { name: `stack${blocks}`, locations: false },
  );
}

/** Compiles a stack of about `target` nodes once, each phase timed. */
export function compileStack(target: number): CompileTimeResult {
  const perBlock = stack(40).graph.nodes.length / 40;
  const blocks = Math.max(1, Math.round(target / perBlock));
  const t0 = performance.now();
  const traced = stack(blocks);
  const t1 = performance.now();
  // The production path: no checked mode (tests turn it on by default), whoever runs this.
  const pipeline = runPipeline(traced.graph, DEFAULT_PIPELINE, { verify: false });
  const t2 = performance.now();
  const placed = generateGraph(pipeline.graph, CORE_DEFAULT_LIMITS, {});
  const t3 = performance.now();
  const kernels = placed.kernels.length;
  const wgslChars = [...new Set(placed.kernels)].reduce((a, k) => a + k.wgsl.length, 0);
  const slowest = [...pipeline.timings].sort((a, b) => b.ms - a.ms).slice(0, 3);
  return {
    graph: `stack${blocks}`,
    nodes: traced.graph.nodes.length,
    kernels,
    trace_ms: t1 - t0,
    passes_ms: t2 - t1,
    codegen_ms: t3 - t2,
    total_ms: t3 - t0,
    wgsl_chars: wgslChars,
    slowest_passes: slowest,
    runs: 1,
  };
}
