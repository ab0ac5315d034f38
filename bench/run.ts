// `pnpm bench`: Kiln side by side with TF.js, jax-js and its own hand-written reference kernels on
// the workloads W1–W5 of bench/workloads.ts, one process per library, run in interleaved rounds (so they
// never share the GPU or the CPU, and a load change hits every library), with Kiln's per-round
// ratios, the adapter's roofline, compile time and training-step memory. Writes JSON and SVG.

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { chartSvg } from './chart.js';
import { USAGE, parseBenchArgs, timingFor, type BenchArgs } from './cli.js';
import { failedCompileResult, type CompileTimeResult, type LibConfig, type LibReport, type Library, type MemoryResult, type Roofline, type WorkloadResult } from './protocol.js';
import { behindList, behindText, compileTable, memoryTable, ratioTable, resultsTable, rooflineText, type Behind } from './report.js';
import { mergeRooflines, mergeRounds, roundRatios, type CaseRatio } from './rounds.js';
import { LIB_SCRIPTS, runChild } from './spawn.js';
import { caseLabel, workloadsFor, type SizeClass, type Workload } from './workloads.js';

export interface BenchReport {
  readonly meta: {
    readonly date: string;
    readonly size: SizeClass;
    readonly sizeReason: string;
    readonly node: string;
    readonly timing: LibConfig['timing'];
    readonly stepBatch: number;
    readonly rounds: number;
    readonly tune: BenchArgs['tune'];
    readonly libraries: readonly {
      readonly library: Library;
      readonly version: string;
      readonly adapter: string | null;
      readonly timestampQuery: boolean;
      readonly error?: string;
      readonly wall_s: number;
    }[];
  };
  /** One per library and case: the median round (every round's value in its notes). */
  readonly results: readonly WorkloadResult[];
  readonly perRound: readonly (readonly WorkloadResult[])[];
  readonly ratios: readonly CaseRatio[];
  readonly roofline: Roofline | undefined;
  readonly compile: readonly CompileTimeResult[];
  readonly memory: readonly MemoryResult[];
  readonly behind: readonly Behind[];
  /** The tuning pass before round 1 (empty when --tune cached/off or Kiln is not run). */
  readonly tuning: readonly string[];
}

async function chooseSize(args: BenchArgs): Promise<{ size: SizeClass; reason: string }> {
  if (args.size !== undefined) return { size: args.size, reason: `--${args.size}` };
  // Loaded only here: the orchestrator needs Dawn just to look for a hardware adapter.
  const { probeHardwareAdapter } = await import('./gpu-shim.js');
  const hw = await probeHardwareAdapter();
  return hw !== undefined ? { size: 'full', reason: `hardware adapter ${hw}` } : { size: 'small', reason: 'no hardware adapter: software (llvmpipe) sizes' };
}

function failed(library: Library, workloads: readonly Workload[], error: string): WorkloadResult[] {
  return workloads.map((w) => ({ workload: w.id, library, case: caseLabel(w), params: w, error }));
}

/** Interleaves per-library results so each workload case lists its libraries together. */
function sideBySide(perLib: readonly (readonly WorkloadResult[])[]): WorkloadResult[] {
  const all = perLib.flat();
  const order = [...new Set(all.map((r) => `${r.workload}|${r.case}`))];
  return order.flatMap((key) => all.filter((r) => `${r.workload}|${r.case}` === key));
}

export async function runBench(args: BenchArgs, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<BenchReport> {
  const { size, reason } = await chooseSize(args);
  const plan = timingFor(size);
  const workloads = workloadsFor(size).filter((w) => args.workloads.has(w.id));
  // The memory section is measured on Kiln's W4 step.
  const memoryOnly = args.sections.has('memory') && !args.workloads.has('W4');
  const kilnExtra = memoryOnly ? workloadsFor(size).filter((w) => w.id === 'W4') : [];
  const cfg = (wl: readonly Workload[]): LibConfig => ({ size, workloads: wl, timing: plan.timing, stepBatch: plan.stepBatch, tune: args.tune });
  log(`kiln bench: size ${size} (${reason}); ${plan.timing.batch} ops (${plan.stepBatch} W4 steps) queued per wait; kiln --tune ${args.tune}`);
  // Tuning happens here, before any timed round, in a process of its own: each round's compile
  // (tune: 'quick'/'full') then finds every signature in the cache and measures nothing.
  let tuning: string[] = [];
  const kilnWorkloads = [...workloads, ...kilnExtra];
  if ((args.tune === 'quick' || args.tune === 'full') && args.libs.includes('kiln') && kilnWorkloads.length > 0) {
    const t0 = performance.now();
    const out = await runChild(LIB_SCRIPTS.kiln, { ...cfg(kilnWorkloads), tuneOnly: true }, plan.childTimeoutMs * 10, (l) => process.stderr.write(`[tune] ${l}\n`));
    tuning = [...(out.report?.tune ?? [`tuning failed: ${out.failure ?? out.report?.error ?? 'no report'}`])];
    log(`tuning pass (--tune ${args.tune}, untimed): ${((performance.now() - t0) / 1000).toFixed(1)} s, ${tuning.length - 1} signature(s) newly tuned`);
  }

  const rounds = args.rounds ?? plan.rounds;
  log(`${rounds} interleaved round(s) of ${args.libs.join(', ')}`);
  const perRound: WorkloadResult[][] = [];
  const libraries: BenchReport['meta']['libraries'][number][] = [];
  const rooflines: Roofline[] = [];
  let memory: MemoryResult[] = [];
  for (let round = 0; round < rounds; round++) {
    const perLib: (readonly WorkloadResult[])[] = [];
    for (const lib of args.libs) {
      const wl = lib === 'kiln' ? [...workloads, ...kilnExtra] : lib === 'reference' ? workloads.filter((w) => w.id === 'W1' || w.id === 'W2') : workloads;
      // The reference process also measures the roofline: it runs whenever any workload does.
      if (wl.length === 0 && (lib !== 'reference' || workloads.length === 0)) continue;
      const out = await runChild(LIB_SCRIPTS[lib], cfg(wl), plan.childTimeoutMs, (l) => process.stderr.write(`[round ${round + 1}/${rounds}] ${l}\n`));
      const report: LibReport | undefined = out.report;
      const error = out.failure ?? report?.error;
      if (round === 0)
        libraries.push({
          library: lib,
          version: report?.version ?? 'unknown',
          adapter: report?.adapter ?? null,
          timestampQuery: report?.timestampQuery ?? false,
          ...(error !== undefined ? { error } : {}),
          wall_s: out.wallMs / 1000,
        });
      if (report?.roofline !== undefined) rooflines.push(report.roofline);
      const results: readonly WorkloadResult[] = report?.results ?? failed(lib, wl, error ?? 'no report');
      perLib.push(memoryOnly && lib === 'kiln' ? results.filter((r) => r.workload !== 'W4') : results);
      if (lib === 'kiln' && round === 0 && args.sections.has('memory')) memory = [...(report?.memory ?? [])];
    }
    perRound.push(sideBySide(perLib));
  }
  let compile: CompileTimeResult[] = [];
  if (args.sections.has('compile') && args.libs.includes('kiln')) {
    const out = await runChild(LIB_SCRIPTS['kiln-compile'], { nodeCounts: plan.compileNodes }, plan.childTimeoutMs, (l) => process.stderr.write(`${l}\n`));
    compile = [...(out.report?.compile ?? plan.compileNodes.map((n) => failedCompileResult(n, out.failure ?? 'no report')))];
  }
  const results = sideBySide([mergeRounds(perRound)]);
  const behind = behindList(results);
  return {
    meta: { date: new Date().toISOString(), size, sizeReason: reason, node: process.version, timing: plan.timing, stepBatch: plan.stepBatch, rounds, tune: args.tune, libraries },
    results,
    perRound,
    ratios: roundRatios(perRound),
    roofline: mergeRooflines(rooflines),
    compile,
    memory,
    behind,
    tuning,
  };
}

/** Kiln's kernels per case with their schedules ('[tuned]': from the tune cache), from the median round. */
function kernelLines(r: BenchReport): string[] {
  return r.results.filter((x) => x.library === 'kiln' && x.kernels !== undefined).flatMap((x) => [`${x.workload} ${x.case}:`, ...(x.kernels ?? []).map((kn) => `  ${kn}`)]);
}

export function printReport(r: BenchReport, log: (line: string) => void): void {
  for (const l of r.meta.libraries) log(`  ${l.library} ${l.version}: ${l.error !== undefined ? `ERROR ${l.error}` : (l.adapter ?? 'no adapter')} (${l.wall_s.toFixed(1)} s)`);
  if (r.results.length > 0) {
    log('');
    log(rooflineText(r.roofline));
    log('');
    log(`Results (per library the median of ${r.meta.rounds} round(s); % roof: of the FMA peak for GFLOP/s, of copy bandwidth for GB/s, FMA-bound time / time for W4):`);
    log(resultsTable(r.results, r.roofline));
    log('');
    log(`Kiln's advantage per round (> 1: Kiln better; median of per-round ratios, min–max over rounds):`);
    log(ratioTable(r.ratios));
    log('');
    log(behindText(r.behind));
    if (r.tuning.length > 0) {
      log('');
      log(`Tuning pass before the rounds (--tune ${r.meta.tune}; signatures the cache already held are not re-measured):`);
      for (const l of r.tuning) log(`  ${l}`);
    }
    const kl = kernelLines(r);
    if (kl.length > 0) {
      log('');
      log(`Kiln's kernels and schedules (--tune ${r.meta.tune}; '[tuned]' = schedule from the tune cache, else the default chosen by shape):`);
      for (const l of kl) log(`  ${l}`);
    }
  }
  if (r.compile.length > 0) {
    log('');
    log('Compile time (trace → passes → WGSL, no GPU):');
    log(compileTable(r.compile));
  }
  if (r.memory.length > 0) {
    log('');
    log('Memory per training step (W4):');
    log(memoryTable(r.memory, r.results));
  }
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const report = await runBench(args, log);
  printReport(report, log);
  if (args.json !== undefined) {
    await mkdir(dirname(args.json), { recursive: true });
    await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`);
    log(`\nJSON report: ${args.json}`);
  }
  if (args.chart !== undefined) {
    await mkdir(dirname(args.chart), { recursive: true });
    await writeFile(args.chart, await chartSvg(report.results, `Kiln vs TF.js vs jax-js (${report.meta.size} sizes)`));
    log(`chart: ${args.chart}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  await main();
  process.exit(0);
}
