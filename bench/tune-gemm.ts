// `pnpm exec tsx bench/tune-gemm.ts [N] [--all]`: a candidate-schedule timing harness for W1 (no
// cache): every legal tiled GEMM schedule for the device (vec4, TK ≥ 16, blocks ≥ 8×8 unless --all) is
// compiled, its output checked against the default schedule's, then timed in interleaved rounds
// (batched runRepeated, as the bench times Kiln); prints the fastest beside the default.

import * as k from '@kiln/frontend';
import { scheduleLabel, tiledCandidates, type GemmSchedule } from '@kiln/codegen-wgsl';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createWebGpuBackend, requestWebGpuDevice, type WebGpuExecutable } from '@kiln/runtime';
import { summarize } from './harness.js';
import { fillRandom, metricValue } from './workloads.js';

const ROUNDS = 5;
const BATCH = 3;

interface Candidate {
  readonly label: string;
  readonly exe: WebGpuExecutable;
  readonly samples: number[];
}

async function main(): Promise<void> {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 256);
  const all = process.argv.includes('--all');
  const info = await requestWebGpuDevice();
  const graph = runPipeline(k.trace(({ a, b }) => ({ c: k.matmul(a, b) }), { a: k.f32([n, n]), b: k.f32([n, n]) }, { name: 'w1' }).graph, DEFAULT_PIPELINE).graph;
  const inputs = { a: fillRandom(n * n, 1), b: fillRandom(n * n, 2) };
  const compile = async (gemm: GemmSchedule | undefined): Promise<WebGpuExecutable> =>
    createWebGpuBackend({ device: info, ...(gemm !== undefined ? { codegen: { gemm } } : {}) }).compile(graph, { state: {} });
  const base = await compile(undefined);
  const expected = Object.values(await base.run(inputs))[0]!.data;
  const candidates: Candidate[] = [{ label: `default (${base.kernels[0]?.template ?? '?'})`, exe: base, samples: [] }];
  // Without --all: vec4 loads, K steps of 16–64 and blocks of at least 8×8 (what wins on llvmpipe).
  const schedules = tiledCandidates(info.limits).filter((s) => all || (s.vec4 && s.tk >= 16 && s.rm >= 8 && s.rn >= 8));
  let rejected = 0;
  for (const s of schedules) {
    const exe = await compile(s);
    const got = Object.values(await exe.run(inputs))[0]!.data;
    // A candidate may win only if it computes what the default computes (to f32 summation order).
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(Number(got[i]) - Number(expected[i])) / (1 + Math.abs(Number(expected[i]))));
    if (!(worst <= 1e-4)) {
      rejected++;
      exe.dispose();
      continue;
    }
    candidates.push({ label: scheduleLabel(s), exe, samples: [] });
  }
  process.stderr.write(`[tune] N=${n}: ${candidates.length - 1} candidates (${rejected} rejected by the output check), ${ROUNDS} rounds\n`);
  for (let r = 0; r < ROUNDS; r++)
    for (const c of candidates) {
      const t0 = performance.now();
      await c.exe.runRepeated(BATCH);
      c.samples.push((performance.now() - t0) / BATCH);
    }
  const ranked = candidates.map((c) => ({ label: c.label, ms: summarize(c.samples).median })).sort((a, b) => a.ms - b.ms);
  const gflops = (ms: number): string => metricValue({ id: 'W1', n }, ms).toFixed(2);
  const def = ranked.find((c) => c.label.startsWith('default'))!;
  console.log(`W1 N=${n} on ${info.description}`);
  console.log(`default: ${def.ms.toFixed(3)} ms, ${gflops(def.ms)} GFLOP/s (rank ${ranked.indexOf(def) + 1} of ${ranked.length})`);
  for (const c of ranked.slice(0, 12)) console.log(`  ${c.label.padEnd(28)} ${c.ms.toFixed(3)} ms  ${gflops(c.ms)} GFLOP/s  ×${(def.ms / c.ms).toFixed(2)} vs default`);
  for (const c of candidates) c.exe.dispose();
}

await main();
process.exit(0);
