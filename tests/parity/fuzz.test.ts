// Random graphs from the passes fuzzer (seeded), optimised and fused by the default pipeline,
// run on WebGPU against the CPU interpreter: fused kernels of every shape the fuser makes.
// NaN and ±Inf must sit in the same elements: Kiln's WGSL decides IEEE special cases on the bits,
// so the GL driver's fast math (it compiles without `precise`) cannot fold NaN·0 and the like.

import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { generateGraph } from '@kiln/fuzz';
import { interpret } from '@kiln/runtime';
import { acquireDevice, harness, mismatch, type Tolerance } from './helpers.js';

const device = await acquireDevice();
const SEEDS = 600;
const TOL: Tolerance = { rtol: 1e-4, atol: 1e-5 };

describe.skipIf(device === undefined)('fuzzed fused graphs: WebGPU vs CPU', () => {
  const h = harness(device!);
  it(`${SEEDS} seeded random graphs through the default pipeline`, async () => {
    const failures: string[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const c = generateGraph(seed);
      const fused = runPipeline(c.graph, DEFAULT_PIPELINE).graph;
      const exe = await h.backend.compile(fused);
      try {
        const fresh: Record<string, number[]> = {};
        for (const inp of fused.inputs) {
          if (inp.state) exe.setState(inp.name, c.inputs[inp.name]!);
          else fresh[inp.name] = c.inputs[inp.name]!;
        }
        const gpu = await exe.run(fresh);
        const cpu = interpret(fused, c.inputs);
        for (const o of fused.outputs) {
          const got = o.updatesState ? await exe.getState(o.name) : gpu[o.name]!;
          const bad = mismatch(got, cpu[o.name]!, TOL);
          if (bad !== undefined) failures.push(`seed ${seed} ${o.name}: ${bad}`);
        }
      } finally {
        exe.dispose();
      }
    }
    expect(failures).toEqual([]);
  });
});
