// Benchmarks: Kiln's compile time, trace → passes → WGSL, for generated graphs of about 1k, 10k and
// 100k nodes (no GPU needed: codegen runs against the core-default device limits, through the
// runtime's own placement + codegen step). Each phase is timed on its own; the per-pass split
// comes from the pass manager's timings. The workload itself is bench/compile-stack.ts.

import { compileStack } from '../compile-stack.js';
import { emitReport, errorText, failedCompileResult, readConfig, type CompileTimeResult, type LibReport } from '../protocol.js';

export interface CompileConfig {
  readonly nodeCounts: readonly number[];
}

async function main(): Promise<void> {
  const cfg = readConfig<CompileConfig>(process.argv);
  const compile: CompileTimeResult[] = [];
  compileStack(1000); // warm the JIT so the first size is not charged for it
  for (const n of cfg.nodeCounts) {
    const started = performance.now();
    try {
      // Small graphs compile in well under a second: keep the median of three runs.
      const runs = Array.from({ length: n <= 10_000 ? 3 : 1 }, () => compileStack(n)).sort((a, b) => a.total_ms - b.total_ms);
      compile.push({ ...runs[Math.floor(runs.length / 2)]!, runs: runs.length });
    } catch (e) {
      compile.push(failedCompileResult(n, errorText(e)));
    }
    process.stderr.write(`[kiln] compile ~${n} nodes: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  emitReport({ library: 'kiln', version: '0.1.0', adapter: null, timestampQuery: false, results: [], compile } satisfies LibReport);
}

await main();
process.exit(0);
