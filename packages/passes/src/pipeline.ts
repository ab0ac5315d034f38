// The pass manager: runs a pipeline of passes with IR dumps (after all / changed / failure),
// timings and stats; a failing pass yields a repro (its input IR). In checked mode (on in tests,
// off in production) the input and every pass's output are verified.

import { KilnError, print, verify, type Diagnostic, type Graph } from '@kiln/ir';
import type { Pass, PassOptions } from './pass.js';
import { parsePipeline } from './registry.js';
import { writeRepro } from './repro.js';

export type PrintIrAfter = 'all' | 'change' | 'failure' | 'none';

export interface PipelineOptions extends PassOptions {
  /**
   * Verify the input and the output of every pass (checked mode). Default: on when the
   * environment sets KILN_CHECK=1 (vitest.config.ts does, for every test), else off: in production
   * graphs are verified once per pipeline boundary (the frontend's trace, the backend's compile).
   */
  readonly verify?: boolean;
  /** Which IR snapshots to hand to `dump` and collect in the result (default 'none'). */
  readonly printIrAfter?: PrintIrAfter;
  readonly dump?: (index: number, passName: string, irText: string) => void;
  /** Directory where a failing pass's repro file is written. */
  readonly reproDir?: string;
}

export interface PassRecord {
  readonly index: number;
  readonly pass: string;
  readonly ms: number;
  readonly changed: boolean;
  readonly stats: Readonly<Record<string, number>>;
}

export interface IrDump {
  readonly index: number;
  readonly pass: string;
  readonly text: string;
}

export interface PipelineResult {
  readonly graph: Graph;
  readonly passes: readonly PassRecord[];
  readonly timings: readonly { readonly pass: string; readonly ms: number }[];
  readonly stats: readonly { readonly pass: string; readonly stats: Readonly<Record<string, number>> }[];
  readonly dumps: readonly IrDump[];
}

/** Thrown when a pass throws or its output fails verification; carries the repro. */
export class PassFailure extends KilnError {
  constructor(
    diagnostics: readonly Diagnostic[],
    readonly pass: string,
    readonly index: number,
    readonly pipeline: string,
    /** The failing pass's input IR, with a header naming the pass and pipeline. */
    readonly repro: string,
    readonly reproPath: string | undefined,
  ) {
    super(diagnostics);
    this.name = 'KilnError';
  }
}

function pipelineText(passes: readonly Pass[]): string {
  return passes.map((p) => p.name).join(',');
}

function reproText(pass: Pass, index: number, pipeline: string, problem: string, input: string): string {
  const why = problem.split('\n').map((l) => `#   ${l}`);
  return [`# kiln repro: pass '${pass.name}' (#${index + 1} of pipeline "${pipeline}") failed:`, ...why, `# pipeline: ${pass.name}`, `# full pipeline: ${pipeline}`, input].join('\n');
}

/** Whether checked mode is on by default: KILN_CHECK=1 in the environment (Node; never in a browser). */
export function checkedModeByDefault(): boolean {
  const proc = (globalThis as { process?: { env?: Readonly<Record<string, string | undefined>> } }).process;
  return proc?.env?.['KILN_CHECK'] === '1';
}

export function runPipeline(graph: Graph, pipeline: string | readonly Pass[], options: PipelineOptions = {}): PipelineResult {
  const passes = typeof pipeline === 'string' ? parsePipeline(pipeline) : pipeline;
  const text = pipelineText(passes);
  const mode = options.printIrAfter ?? 'none';
  const checked = options.verify ?? checkedModeByDefault();
  const dumps: IrDump[] = [];
  const emit = (index: number, pass: string, ir: string): void => {
    dumps.push({ index, pass, text: ir });
    options.dump?.(index, pass, ir);
  };
  if (checked) {
    const diags = verify(graph);
    if (diags.length > 0) throw new KilnError([{ message: `pipeline "${text}": the input graph does not verify` }, ...diags]);
  }
  const records: PassRecord[] = [];
  let g = graph;
  passes.forEach((pass, index) => {
    const start = performance.now();
    let problem: string | undefined;
    let result: ReturnType<Pass['run']> | undefined;
    try {
      result = pass.run(g, options);
      if (checked) {
        const diags = verify(result.graph);
        if (diags.length > 0) problem = `output does not verify:\n${new KilnError(diags).message}`;
      }
    } catch (e) {
      problem = `threw: ${e instanceof Error ? e.message : String(e)}`;
    }
    const ms = performance.now() - start;
    if (problem !== undefined || result === undefined) {
      const why = problem ?? 'no result';
      const repro = reproText(pass, index, text, why, print(g));
      if (mode !== 'none') emit(index, pass.name, repro);
      const path = options.reproDir !== undefined ? writeRepro(options.reproDir, pass.name, repro) : undefined;
      const where = path !== undefined ? `; repro written to ${path}` : `; repro (run it with pipeline "${pass.name}"):\n${repro}`;
      throw new PassFailure([{ message: `pass '${pass.name}' (#${index + 1} of "${text}") ${why}${where}` }], pass.name, index, text, repro, path);
    }
    records.push({ index, pass: pass.name, ms, changed: result.changed, stats: result.stats });
    g = result.graph;
    if (mode === 'all' || (mode === 'change' && result.changed)) emit(index, pass.name, print(g));
  });
  return {
    graph: g,
    passes: records,
    timings: records.map((r) => ({ pass: r.pass, ms: r.ms })),
    stats: records.map((r) => ({ pass: r.pass, stats: r.stats })),
    dumps,
  };
}
