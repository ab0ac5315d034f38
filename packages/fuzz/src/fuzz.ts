// The fuzzer's API (`kiln fuzz` is wired to it): for each run, generate a random graph from seed
// seed+run, check every pass (or the one asked for) and the default pipeline on it, and shrink
// each failure to a minimal IR text that is reported with its seed.

import { formatNumber, parse, print, verify, type Graph, type OpKind, interpret, type HostTensor } from '@kiln/ir';
import { type Pass, type PassOptions, PASSES, passByName } from '@kiln/passes';
import { PIPELINE_SUBJECT, checkSubject, subjectName, type FailureKind, type Subject } from './check.js';
import type { FuzzInputs } from './gen-context.js';
import { generateGraph } from './generate.js';
import { shrinkCase, type Case } from './shrink.js';

export interface FuzzOptions {
  /** Run k uses seed `seed + k`; default 1. */
  readonly seed?: number;
  /** Number of random graphs; default 100. */
  readonly runs?: number;
  /** Check only this pass (a name, 'pipeline', or a Pass object); default every pass and the default pipeline. */
  readonly pass?: string | Pass;
  /** Shrink failures to a minimal graph (default true). */
  readonly shrink?: boolean;
  /** Most random steps per graph (default 10). */
  readonly maxSteps?: number;
  /** Stop after this many findings (default 10). */
  readonly maxFindings?: number;
  /**
   * Options for the passes. The fuzzer adds strictFloat (bit-exact simplification) unless it is
   * given here: log(exp x) → x may legitimately flip a comparison downstream.
   */
  readonly passOptions?: PassOptions;
}

export interface FuzzFinding {
  /** The run's own seed: `fuzz({ seed, runs: 1, pass })` regenerates the failing graph. */
  readonly seed: number;
  /** The pass, `pipeline(...)`, or 'generator' for a graph the generator got wrong. */
  readonly pass: string;
  readonly kind: FailureKind | 'generator';
  readonly message: string;
  /** The minimal failing IR (the original when shrinking is off). */
  readonly ir: string;
  readonly inputs: FuzzInputs;
  readonly originalNodes: number;
  readonly minimalNodes: number;
  /** The pass output on the minimal IR, when it produced one. */
  readonly output?: string;
}

export interface FuzzReport {
  readonly runs: number;
  readonly checks: number;
  readonly findings: readonly FuzzFinding[];
  /** How many nodes of each op the generated graphs held. */
  readonly opCounts: Readonly<Partial<Record<OpKind, number>>>;
}

function subjectsFor(pass: FuzzOptions['pass']): Subject[] {
  if (pass === undefined) return [...PASSES.map((p): Subject => ({ kind: 'pass', pass: p })), PIPELINE_SUBJECT];
  if (typeof pass !== 'string') return [{ kind: 'pass', pass }];
  if (pass === 'pipeline') return [PIPELINE_SUBJECT];
  const p = passByName(pass);
  if (p === undefined) throw new Error(`fuzz: unknown pass '${pass}' (known: ${[...PASSES.map((x) => x.name), 'pipeline'].join(', ')})`);
  return [{ kind: 'pass', pass: p }];
}

/** A generated graph must itself verify, round-trip and run; otherwise the generator is wrong. */
function generatorProblem(g: Graph, inputs: FuzzInputs): { message: string; reference?: Record<string, HostTensor> } {
  const diags = verify(g);
  if (diags.length > 0) return { message: `generated graph does not verify: ${diags.map((d) => d.message).join('; ')}` };
  const text = print(g);
  try {
    if (print(parse(text)) !== text) return { message: 'generated graph does not round-trip through print/parse' };
    return { message: '', reference: interpret(g, inputs) };
  } catch (e) {
    return { message: `generated graph cannot be parsed or interpreted: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function fuzz(options: FuzzOptions = {}): FuzzReport {
  const seed = options.seed ?? 1;
  const runs = options.runs ?? 100;
  const maxFindings = options.maxFindings ?? 10;
  const subjects = subjectsFor(options.pass);
  const passOptions: PassOptions = { strictFloat: true, ...options.passOptions };
  const findings: FuzzFinding[] = [];
  const seen = new Set<string>();
  const opCounts: Partial<Record<OpKind, number>> = {};
  let checks = 0;
  let run = 0;
  for (; run < runs && findings.length < maxFindings; run++) {
    const runSeed = (seed + run) >>> 0;
    const generated = generateGraph(runSeed, options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {});
    const g = generated.graph;
    for (const n of g.nodes) opCounts[n.op] = (opCounts[n.op] ?? 0) + 1;
    const gen = generatorProblem(g, generated.inputs);
    if (gen.reference === undefined) {
      findings.push({
        seed: runSeed,
        pass: 'generator',
        kind: 'generator',
        message: gen.message,
        ir: print(g),
        inputs: generated.inputs,
        originalNodes: g.nodes.length,
        minimalNodes: g.nodes.length,
      });
      continue;
    }
    for (const subject of subjects) {
      checks++;
      const failure = checkSubject(subject, g, generated.inputs, passOptions, gen.reference);
      if (failure === undefined) continue;
      const fails = (c: Case): boolean => checkSubject(subject, c.graph, c.inputs, passOptions)?.kind === failure.kind;
      const minimal = options.shrink === false ? { graph: g, inputs: generated.inputs } : shrinkCase({ graph: g, inputs: generated.inputs }, fails);
      const again = checkSubject(subject, minimal.graph, minimal.inputs, passOptions) ?? failure;
      const ir = print(minimal.graph);
      const key = `${subjectName(subject)}|${failure.kind}|${ir}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push({
        seed: runSeed,
        pass: subjectName(subject),
        kind: again.kind,
        message: again.message,
        ir,
        inputs: minimal.inputs,
        originalNodes: g.nodes.length,
        minimalNodes: minimal.graph.nodes.length,
        ...(again.output !== undefined ? { output: again.output } : {}),
      });
      if (findings.length >= maxFindings) break;
    }
  }
  return { runs: run, checks, findings, opCounts };
}

const MAX_OUTPUT_LINES = 60;

/** A finding as text: what failed, the seed to reproduce it, the minimal IR and its inputs. */
export function formatFinding(f: FuzzFinding): string {
  const pass = f.pass.startsWith('pipeline(') ? 'pipeline' : f.pass;
  const lines = [
    `fuzz: ${f.pass} failed (${f.kind}) on the graph of seed ${f.seed}`,
    ...f.message.split('\n').map((l) => `  ${l}`),
    `minimal IR (${f.minimalNodes} node(s), shrunk from ${f.originalNodes}):`,
    f.ir.trimEnd(),
    `inputs: ${JSON.stringify(f.inputs, (_k, v: unknown) => (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)) ? formatNumber(v) : v))}`,
  ];
  if (f.output !== undefined) {
    const out = f.output.trimEnd().split('\n');
    lines.push(`${f.pass} output:`, ...(out.length > MAX_OUTPUT_LINES ? [...out.slice(0, MAX_OUTPUT_LINES), `... (${out.length - MAX_OUTPUT_LINES} more lines)`] : out));
  }
  if (f.pass !== 'generator') lines.push(`reproduce: kiln fuzz --seed ${f.seed} --runs 1 --pass ${pass}`);
  return lines.join('\n');
}

/** The whole report as text (what `kiln fuzz` prints): a summary line, then every finding. */
export function formatFuzzReport(r: FuzzReport): string {
  const head = `fuzz: ${r.runs} graph(s), ${r.checks} check(s), ${r.findings.length} finding(s)`;
  return [head, ...r.findings.map(formatFinding)].join('\n\n');
}
