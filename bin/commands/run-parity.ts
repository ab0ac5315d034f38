// `kiln run-parity <script.ts|file.kir> [--inputs f.json] [--seed S] [--rtol R] [--atol A] [--steps N]
// [--pipeline P]`: the CPU interpreter runs the graph as written (the reference semantics), WebGPU runs
// it after the pass pipeline, on the same seeded inputs and state; prints the largest error per output
// (every step) and per updated state (after the last step), and exits 1 on a mismatch.

import { parseArgs } from 'node:util';
import { verifyOrThrow, type Graph } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createCpuBackend, createWebGpuBackend, requestWebGpuDevice, type Executable } from '@kiln/runtime';
import { compareTensors, formatComparisons, type Comparison, type Tolerance } from './compare.js';
import { loadModel, readInputs } from './io.js';
import { seededInputs, type InputOrigin } from './seeded-inputs.js';
import { UsageError, numberOption } from './usage.js';

/** Defaults: loose enough for f32 kernels that reassociate sums (tiled matmul, tree reductions). */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-4, atol: 1e-5 };

const nonNegative = (x: number): boolean => x >= 0;
/** 1e-4 rather than 0.0001. */
const tolText = (x: number): string => (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential() : String(x));

/** Input origins, one line per non-state input and one summary line for the state. */
function describeInputs(origins: readonly InputOrigin[], seed: number): string[] {
  const lines = origins.filter((o) => !o.state).map((o) => `  ${o.name}: ${o.origin}`);
  const state = new Map<string, number>();
  for (const o of origins.filter((x) => x.state)) state.set(o.origin, (state.get(o.origin) ?? 0) + 1);
  if (state.size > 0) lines.push(`  state (${[...state.values()].reduce((a, b) => a + b, 0)}): ${[...state].map(([o, n]) => `${n} ${o}`).join(', ')}; seed ${seed}`);
  return lines;
}

async function compareSteps(cpu: Executable, gpu: Executable, graph: Graph, inputs: Parameters<Executable['run']>[0], steps: number, tol: Tolerance): Promise<Comparison[]> {
  const rows: Comparison[] = [];
  for (let s = 1; s <= steps; s++) {
    const want = await cpu.run(inputs);
    const got = await gpu.run(inputs);
    for (const [name, t] of Object.entries(want)) rows.push(compareTensors(steps > 1 ? `step ${s} ${name}` : name, got[name], t, tol));
  }
  for (const o of graph.outputs.filter((x) => x.updatesState)) rows.push(compareTensors(`state ${o.name}`, await gpu.getState(o.name), await cpu.getState(o.name), tol));
  return rows;
}

export async function runParityCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      inputs: { type: 'string' },
      seed: { type: 'string' },
      rtol: { type: 'string' },
      atol: { type: 'string' },
      steps: { type: 'string' },
      pipeline: { type: 'string' },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('kiln run-parity needs a model script or IR file');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const seed = numberOption('seed', values.seed, 0, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');
  const steps = numberOption('steps', values.steps, 1, (x) => Number.isInteger(x) && x >= 1, 'a positive integer');
  const tol: Tolerance = {
    rtol: numberOption('rtol', values.rtol, DEFAULT_TOLERANCE.rtol, nonNegative, 'a non-negative number'),
    atol: numberOption('atol', values.atol, DEFAULT_TOLERANCE.atol, nonNegative, 'a non-negative number'),
  };
  const pipeline = values.pipeline ?? DEFAULT_PIPELINE;

  const model = await loadModel(file);
  const graph = model.graph;
  verifyOrThrow(graph, { file });
  const given = values.inputs === undefined ? {} : readInputs(values.inputs, graph, () => true);
  const { inputs, state, origins } = seededInputs(graph, given, seed, model.params);
  const gpuGraph = pipeline.trim() === '' ? graph : runPipeline(graph, pipeline).graph;

  const device = await requestWebGpuDevice();
  let rows: Comparison[];
  let kernels: number;
  try {
    const gpuExe = await createWebGpuBackend({ device }).compile(gpuGraph, { state });
    const cpuExe = await createCpuBackend().compile(graph, { state });
    kernels = gpuExe.dispatchesPerRun;
    try {
      rows = await compareSteps(cpuExe, gpuExe, graph, inputs, steps, tol);
    } finally {
      gpuExe.dispose();
      cpuExe.dispose();
    }
  } finally {
    device.device.destroy();
  }

  const failed = rows.filter((r) => !r.ok).length;
  const report = [
    `run-parity @${graph.name}: ${steps} step(s), seed ${seed}, rtol ${tolText(tol.rtol)}, atol ${tolText(tol.atol)}`,
    `cpu:    CPU interpreter, the graph as written`,
    `webgpu: ${device.description} (${device.reason})`,
    `        pipeline '${pipeline}', ${kernels} dispatch(es) per step`,
    `inputs:`,
    ...describeInputs(origins, seed),
    formatComparisons(rows),
    failed === 0
      ? `parity: ok (${rows.length} comparison(s) within rtol ${tolText(tol.rtol)}, atol ${tolText(tol.atol)})`
      : `parity: MISMATCH (${failed} of ${rows.length} comparison(s) outside rtol ${tolText(tol.rtol)}, atol ${tolText(tol.atol)})`,
  ];
  console.log(report.join('\n'));
  return failed === 0 ? 0 : 1;
}
