// `kiln fuzz --backend webgpu`: differential fuzzing of the whole compiler. Each seeded random graph
// (inputs rich in NaN, ±Inf and ±0) goes through the default pipeline (strictFloat, so the passes
// are exact) and runs on WebGPU; the CPU interpreter runs the graph as generated. NaN and ±Inf must
// sit in the same elements; finite f32 values agree within atol + rtol·|cpu|; integers exactly.

import { formatType, print, typesEqual } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { generateGraph, type GeneratedCase } from '@kiln/fuzz';
import { interpret, type Backend, type HostTensor } from '@kiln/runtime';

export interface WebGpuFuzzOptions {
  readonly seed: number;
  readonly runs: number;
  /** Share of f32 input elements that are special values (default 0.2). */
  readonly specialValues?: number;
  readonly rtol?: number;
  readonly atol?: number;
}

export interface WebGpuFinding {
  readonly seed: number;
  readonly message: string;
  readonly ir: string;
}

export interface WebGpuFuzzReport {
  readonly runs: number;
  readonly elements: number;
  readonly nonFinite: number;
  readonly findings: readonly WebGpuFinding[];
}

const special = (x: number): string => (Number.isNaN(x) ? 'NaN' : x === Infinity ? '+Inf' : x === -Infinity ? '-Inf' : 'finite');

/** The first disagreement between the CPU's and the GPU's value of one output, or undefined. */
export function differential(name: string, cpu: HostTensor, gpu: HostTensor, rtol: number, atol: number): string | undefined {
  if (!typesEqual(cpu.type, gpu.type)) return `output ${name} is ${formatType(gpu.type)} on WebGPU, ${formatType(cpu.type)} on the CPU`;
  const float = cpu.type.dtype === 'f32';
  for (let i = 0; i < cpu.data.length; i++) {
    const want = cpu.data[i] ?? NaN;
    const got = gpu.data[i] ?? NaN;
    if (!float) {
      if (got !== want) return `output ${name}[${i}] is ${got} on WebGPU, ${want} on the CPU`;
      continue;
    }
    if (special(got) !== special(want)) return `output ${name}[${i}] is ${got} on WebGPU, ${want} on the CPU (NaN/Inf placement differs)`;
    if (special(want) === 'finite' && Math.abs(got - want) > atol + rtol * Math.abs(want))
      return `output ${name}[${i}] is ${got} on WebGPU, ${want} on the CPU (beyond atol ${atol} + rtol ${rtol})`;
  }
  return undefined;
}

export async function fuzzWebGpu(backend: Backend, o: WebGpuFuzzOptions): Promise<WebGpuFuzzReport> {
  const rtol = o.rtol ?? 1e-4;
  const atol = o.atol ?? 1e-5;
  const findings: WebGpuFinding[] = [];
  let elements = 0;
  let nonFinite = 0;
  for (let k = 0; k < o.runs; k++) {
    const seed = o.seed + k;
    const c = generateGraph(seed, { specialValues: o.specialValues ?? 0.2 });
    // A graph the compiler or the device rejects is a finding too (with its seed), not the end of the run.
    try {
      const result = await runOne(backend, c, rtol, atol);
      elements += result.elements;
      nonFinite += result.nonFinite;
      for (const message of result.problems) findings.push({ seed, message, ir: print(c.graph) });
    } catch (e) {
      findings.push({ seed, message: `error: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`, ir: print(c.graph) });
    }
  }
  return { runs: o.runs, elements, nonFinite, findings };
}

async function runOne(backend: Backend, c: GeneratedCase, rtol: number, atol: number): Promise<{ elements: number; nonFinite: number; problems: string[] }> {
  let elements = 0;
  let nonFinite = 0;
  const problems: string[] = [];
  const cpu = interpret(c.graph, c.inputs);
  const fused = runPipeline(c.graph, DEFAULT_PIPELINE, { strictFloat: true }).graph;
  const exe = await backend.compile(fused);
  try {
    const fresh: Record<string, number[]> = {};
    for (const inp of fused.inputs) {
      const data = c.inputs[inp.name];
      if (data === undefined) throw new Error(`internal error: the generator gave no data for input %${inp.name}`);
      if (inp.state) exe.setState(inp.name, data);
      else fresh[inp.name] = data;
    }
    const gpu = await exe.run(fresh);
    for (const out of fused.outputs) {
      const want = cpu[out.name];
      const got = out.updatesState ? await exe.getState(out.name) : gpu[out.name];
      if (want === undefined || got === undefined) {
        problems.push(`output ${out.name} is missing on ${want === undefined ? 'the CPU' : 'WebGPU'}`);
        continue;
      }
      elements += want.data.length;
      if (want.type.dtype === 'f32') for (const x of want.data) if (!Number.isFinite(x)) nonFinite++;
      const bad = differential(out.name, want, got, rtol, atol);
      if (bad !== undefined) problems.push(bad);
    }
  } finally {
    exe.dispose();
  }
  return { elements, nonFinite, problems };
}

export function formatWebGpuReport(r: WebGpuFuzzReport, seed: number, shown = 5): string {
  const head = `kiln fuzz --backend webgpu: ${r.runs} graphs from seed ${seed}, ${r.elements} output elements (${r.nonFinite} NaN/Inf on the CPU), ${r.findings.length} finding(s)`;
  const rest = r.findings.slice(0, shown).map((f) => `seed ${f.seed}: ${f.message}\n${f.ir}`);
  if (r.findings.length > shown)
    rest.push(
      `... and ${r.findings.length - shown} more: ${r.findings
        .slice(shown)
        .map((f) => `seed ${f.seed}: ${f.message}`)
        .join('; ')}`,
    );
  return [head, ...rest].join('\n');
}
