// Benchmarks: Kiln's compile time, trace → passes → WGSL, for generated graphs of about 1k, 10k and
// 100k nodes (no GPU needed: codegen runs against the core-default device limits). Each phase is
// timed on its own; the per-pass split comes from the pass manager's timings.

import * as k from '@kiln/frontend';
import { CORE_DEFAULT_LIMITS, generateKernel } from '@kiln/codegen-wgsl';
import { GraphIndex } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { emitReport, errorText, readConfig, type CompileTimeResult, type LibReport } from '../protocol.js';

export interface CompileConfig {
  readonly nodeCounts: readonly number[];
}

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

function measure(target: number): CompileTimeResult {
  const perBlock = stack(40).graph.nodes.length / 40;
  const blocks = Math.max(1, Math.round(target / perBlock));
  const t0 = performance.now();
  const traced = stack(blocks);
  const t1 = performance.now();
  const pipeline = runPipeline(traced.graph, DEFAULT_PIPELINE);
  const t2 = performance.now();
  const index = new GraphIndex(pipeline.graph);
  let wgslChars = 0;
  let kernels = 0;
  for (const node of pipeline.graph.nodes) {
    if (node.op !== 'call') continue;
    const kernel = index.kernels.get(node.attrs.callee);
    if (kernel === undefined) throw new Error(`no kernel @${node.attrs.callee}`);
    wgslChars += generateKernel(kernel, CORE_DEFAULT_LIMITS).wgsl.length;
    kernels++;
  }
  const t3 = performance.now();
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

async function main(): Promise<void> {
  const cfg = readConfig<CompileConfig>(process.argv);
  const compile: CompileTimeResult[] = [];
  measure(1000); // warm the JIT so the first size is not charged for it
  for (const n of cfg.nodeCounts) {
    const started = performance.now();
    try {
      // Small graphs compile in well under a second: keep the median of three runs.
      const runs = Array.from({ length: n <= 10_000 ? 3 : 1 }, () => measure(n)).sort((a, b) => a.total_ms - b.total_ms);
      compile.push({ ...runs[Math.floor(runs.length / 2)]!, runs: runs.length });
    } catch (e) {
      compile.push({ graph: `~${n} nodes`, nodes: n, kernels: 0, trace_ms: 0, passes_ms: 0, codegen_ms: 0, total_ms: 0, wgsl_chars: 0, slowest_passes: [], runs: 0, error: errorText(e) });
    }
    process.stderr.write(`[kiln] compile ~${n} nodes: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  emitReport({ library: 'kiln', version: '0.1.0', adapter: null, timestampQuery: false, results: [], compile } satisfies LibReport);
}

await main();
process.exit(0);
