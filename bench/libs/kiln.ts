// Benchmarks: Kiln's library process. Each workload is traced, optimised by the default pass
// pipeline and compiled for WebGPU; timing uses WebGpuExecutable.runRepeated (ops recorded into one
// submit, inputs already on the GPU, no readback), as the peers queue ops before one wait.
// Schedules follow cfg.tune; with cfg.tuneOnly the process only tunes (bench/run.ts's untimed pass).

import * as k from '@kiln/frontend';
import { numel } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline, type PipelineResult } from '@kiln/passes';
import {
  createWebGpuBackend,
  requestWebGpuDevice,
  tuneMeasurementCount,
  type HostInput,
  type TuneMode,
  type WebGpuBackend,
  type WebGpuDeviceInfo,
  type WebGpuExecutable,
} from '@kiln/runtime';
import { defaultTuneCachePath } from '@kiln/runtime/tune-file-store';
import { measureJitOverhead } from '../jit-overhead.js';
import { profileNotes, profileSteps } from '../kiln-profile.js';
import { runAll, summarize, timeBatched, timedResult, type Extra } from '../harness.js';
import { emitReport, errorText, readConfig, type LibConfig, type LibReport, type MemoryResult, type WorkloadResult } from '../protocol.js';
import { inputsFor, spotCheck, type Inputs } from '../reference.js';
import { traceWorkload } from '../kiln-traces.js';
import { caseLabel, type Workload } from '../workloads.js';

interface Built {
  readonly exe: WebGpuExecutable;
  readonly pipeline: PipelineResult;
}

/** What k.compile does for WebGPU, keeping the executable (Step hides runRepeated). */
async function build(backend: WebGpuBackend, traced: k.Traced, tune: TuneMode): Promise<Built> {
  const pipeline = runPipeline(traced.graph, DEFAULT_PIPELINE);
  const state: Record<string, HostInput> = {};
  for (const p of traced.params) state[p.name] = k.initialize(p, 0);
  const exe = await backend.compile(pipeline.graph, { state, tune });
  return { exe, pipeline };
}

/** The untimed tuning pass: tunes each workload's kernels the cache lacks, one line per signature. */
async function tuneAll(backend: WebGpuBackend, cfg: LibConfig): Promise<string[]> {
  const mode = cfg.tune === 'full' ? 'full' : 'quick';
  const lines: string[] = [];
  for (const w of cfg.workloads) {
    const graph = runPipeline(traceWorkload(w).graph, DEFAULT_PIPELINE).graph;
    const t0 = performance.now();
    const rows = await backend.tune(graph, mode, { onlyMissing: true });
    process.stderr.write(`[kiln] tuned ${w.id} ${caseLabel(w)}: ${rows.length} signature(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    for (const r of rows)
      lines.push(
        `${w.id} ${r.signature}: ${r.before.label} ${r.before.ms.toFixed(3)} ms → ${r.after.label} ${r.after.ms.toFixed(3)} ms (×${(r.before.ms / r.after.ms).toFixed(2)}; ${r.candidates} candidates, ${r.rejected} rejected, ${r.timing})`,
      );
  }
  return lines;
}

function hostInputs(inp: Inputs): Record<string, HostInput> {
  switch (inp.id) {
    case 'W1':
      return { a: inp.a, b: inp.b };
    case 'W2':
    case 'W3':
      return { x: inp.x };
    case 'W4':
      return { x: inp.x, y: inp.labels };
    case 'W5':
      return { x: inp.x, w: inp.w };
    default: {
      const never: never = inp;
      return never;
    }
  }
}

function memoryOf(w: Workload, exe: WebGpuExecutable, pipeline: PipelineResult): MemoryResult {
  const plan = pipeline.passes.find((p) => p.pass === 'plan-memory')?.stats ?? {};
  // Inputs and state each get a buffer of their own (4 bytes per element, 16-byte multiples).
  const persistent = exe.graph.inputs.reduce((s, i) => s + Math.max(16, Math.ceil((numel(i.type.shape) * 4) / 16) * 16), 0);
  return {
    workload: 'W4',
    case: caseLabel(w),
    runtime_bytes: exe.memoryBytes.total,
    runtime_arena_bytes: exe.memoryBytes.arena,
    persistent_bytes: persistent,
    plan_peak_bytes: plan['peakBytes'] ?? Number.NaN,
    plan_naive_bytes: plan['naiveBytes'] ?? Number.NaN,
    lower_bound_bytes: plan['lowerBoundBytes'] ?? Number.NaN,
    note: 'kiln runtime = every buffer the executable allocated (params, inputs, outputs, transient arena, constants); plan arena peak / lower bound / no reuse are transient bytes from plan-memory',
  };
}

/** GPU-busy time per run from timestamp queries (median of a few batches), where the device has them. */
async function busyNote(info: WebGpuDeviceInfo, exe: WebGpuExecutable, batch: number): Promise<Extra> {
  if (!info.device.features.has('timestamp-query')) return { gpu_busy_ms: null, gpu_busy_note: "adapter lacks 'timestamp-query'" };
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const ms = await exe.gpuTimeMs(batch);
    if (ms !== undefined) samples.push(ms);
  }
  return samples.length > 0
    ? { gpu_busy_ms: summarize(samples).median, gpu_busy_note: `timestamps around ${batch} runs, median of ${samples.length}` }
    : { gpu_busy_ms: null, gpu_busy_note: 'timestamp query failed' };
}

async function runOne(backend: WebGpuBackend, info: WebGpuDeviceInfo, cfg: LibConfig, w: Workload, memory: MemoryResult[]): Promise<WorkloadResult> {
  const traced = traceWorkload(w);
  const tune = cfg.tune ?? 'cached';
  const measuredBefore = tuneMeasurementCount();
  const { exe, pipeline } = await build(backend, traced, tune);
  // Tuning belongs to the untimed pass before the rounds: a round that had to measure says so.
  const measured = tuneMeasurementCount() - measuredBefore;
  try {
    const inp = inputsFor(w);
    const first = await exe.run(hostInputs(inp));
    const kernels = exe.kernels.map((kn) => `${kn.template} grid ${kn.dispatch().join('x')}`);
    const tunedCount = exe.kernels.filter((kn) => kn.template.endsWith('[tuned]')).length;
    const notes = [
      exe.dispatchesPerRun <= 2 ? `${exe.dispatchesPerRun} kernel(s)/run: ${kernels.join(', ')}` : `${exe.dispatchesPerRun} kernels/run`,
      `tune ${tune}: ${tunedCount} of ${exe.kernels.length} kernel(s) on tuned schedules${measured > 0 ? `, ${measured} timings taken while compiling (cache was missing signatures)` : ''}`,
    ];
    if (w.id === 'W4') {
      const loss = first['loss']?.data[0];
      if (loss === undefined || !Number.isFinite(loss)) throw new Error(`training step loss is ${loss}`);
      memory.push(memoryOf(w, exe, pipeline));
    } else {
      const out = Object.values(first)[0];
      if (out === undefined) throw new Error('no output');
      spotCheck(w, inp, out.data);
      notes.push('spot-checked');
    }
    const batch = w.id === 'W4' ? cfg.stepBatch : cfg.timing.batch;
    const stats = await timeBatched(`kiln ${w.id}`, () => exe.runRepeated(batch), batch, cfg.timing);
    if (w.id === 'W4') {
      // What a Step.run user sees: upload x and y, one submit, read the loss back, every step.
      const perStep: number[] = [];
      const feed = hostInputs(inp);
      for (let i = 0; i < Math.max(3, Math.min(cfg.timing.iterations, 10)); i++) {
        const t0 = performance.now();
        await exe.run(feed);
        perStep.push(performance.now() - t0);
      }
      notes.push(`Step.run (upload x,y + read loss, one wait per step): median ${summarize(perStep).median.toFixed(3)} ms`);
      if (inp.id === 'W4') {
        const o = await measureJitOverhead(w.batch, w.hidden, w.lr, inp.x, inp.labels, Math.max(30, Math.min(cfg.timing.iterations * 4, 80)));
        // First, so the report's shortened notes column shows it.
        notes.unshift(`cached k.jit call ${o.jitMs.toFixed(2)} ms vs Step.run ${o.stepMs.toFixed(2)} ms: ×${o.ratio.toFixed(3)} (${o.samples} interleaved calls)`);
      }
      notes.push(...profileNotes(await profileSteps(exe, Math.min(cfg.timing.iterations, 5))).map((n) => `slowest: ${n}`));
    }
    const peak = w.id === 'W4' ? (memory[memory.length - 1]?.runtime_bytes ?? null) : undefined;
    const result = timedResult('kiln', w, stats, batch, { ...(await busyNote(info, exe, batch)), ...(peak !== undefined ? { peak_bytes: peak } : {}), notes });
    return { ...result, kernels: exe.kernels.map((kn) => `${kn.name}: ${kn.template}`) };
  } finally {
    exe.dispose();
  }
}

async function main(): Promise<void> {
  const cfg = readConfig<LibConfig>(process.argv);
  let info: WebGpuDeviceInfo;
  try {
    info = await requestWebGpuDevice();
  } catch (e) {
    const error = errorText(e);
    emitReport({
      library: 'kiln',
      version: '0.1.0',
      adapter: null,
      timestampQuery: false,
      error,
      results: cfg.workloads.map((w) => ({ workload: w.id, library: 'kiln', case: caseLabel(w), params: w, error })),
    } satisfies LibReport);
    return;
  }
  const backend = createWebGpuBackend({ device: info });
  if (cfg.tuneOnly === true) {
    const tune = await tuneAll(backend, cfg);
    emitReport({
      library: 'kiln',
      version: '0.1.0',
      adapter: info.description,
      timestampQuery: info.device.features.has('timestamp-query'),
      results: [],
      tune: [...tune, `cache: ${defaultTuneCachePath()}`],
    } satisfies LibReport);
    return;
  }
  const memory: MemoryResult[] = [];
  const results = await runAll('kiln', cfg.workloads, (w) => runOne(backend, info, cfg, w, memory));
  emitReport({ library: 'kiln', version: '0.1.0', adapter: info.description, timestampQuery: info.device.features.has('timestamp-query'), results, memory } satisfies LibReport);
}

await main();
process.exit(0);
