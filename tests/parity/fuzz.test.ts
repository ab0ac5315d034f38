// Random graphs from the passes fuzzer (seeded), optimised and fused by the default pipeline,
// run on WebGPU against the CPU interpreter: fused kernels of every shape the fuser makes.
// Elements where the CPU result is inf/NaN are not compared: the GL driver compiles without
// `precise`, so IEEE special cases of arithmetic on inlined constants (NaN·0, say) may fold.

import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { generateGraph } from '@kiln/fuzz';
import { interpret, type HostTensor } from '@kiln/runtime';
import { acquireDevice, harness, mismatch, type Tolerance } from './helpers.js';

const device = await acquireDevice();
const SEEDS = 600;
const TOL: Tolerance = { rtol: 1e-4, atol: 1e-5 };

/** `got` with the elements where `want` is not finite copied from `want`. */
function finiteOnly(got: HostTensor, want: HostTensor): HostTensor {
  if (!(want.data instanceof Float32Array) || !(got.data instanceof Float32Array)) return got;
  const data = got.data.slice();
  want.data.forEach((w, i) => {
    if (!Number.isFinite(w)) data[i] = w;
  });
  return { type: got.type, data };
}

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
          const bad = mismatch(finiteOnly(got, cpu[o.name]!), cpu[o.name]!, TOL);
          if (bad !== undefined) failures.push(`seed ${seed} ${o.name}: ${bad}`);
        }
      } finally {
        exe.dispose();
      }
    }
    expect(failures).toEqual([]);
  });
});
