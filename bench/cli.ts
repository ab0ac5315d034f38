// Benchmarks: `pnpm bench` flags and what they select — size class, workloads and sections, the
// libraries, outputs — plus the timing settings of each size class.

import { parseArgs } from 'node:util';
import { LIBRARIES, type Library, type TimingConfig } from './protocol.js';
import { SECTION_IDS, WORKLOAD_IDS, type SectionId, type SizeClass, type WorkloadId } from './workloads.js';

export interface BenchArgs {
  /** undefined: decided by the adapter (hardware → full, software → small). */
  readonly size: SizeClass | undefined;
  readonly workloads: ReadonlySet<WorkloadId>;
  readonly sections: ReadonlySet<SectionId>;
  readonly libs: readonly Library[];
  /** Interleaved rounds: every library runs once per round (undefined: the size class's default). */
  readonly rounds: number | undefined;
  readonly json: string | undefined;
  readonly chart: string | undefined;
  readonly help: boolean;
}

export const USAGE = `usage: pnpm bench [--quick | --full] [--only W1,W4,compile,memory] [--libs kiln,tfjs,jax-js,reference]
                  [--rounds N] [--json out.json] [--chart out.svg]
  --quick   small sizes, few samples (about a minute on a 2-core software adapter)
  --full    the H100 sizes of bench/workloads.ts (default on a hardware adapter; small sizes otherwise)
  --only    workloads ${WORKLOAD_IDS.join(',')} and Kiln sections ${SECTION_IDS.join(',')} (default: all)
  --libs    libraries to compare (default: ${LIBRARIES.join(',')}); each runs in its own process
            ('reference': hand-written WGSL GEMM/elementwise kernels and the roofline microkernels)
  --rounds  interleaved rounds, every library once per round (default 3)
  --json    write the report as JSON        --chart   write a vega-lite SVG chart`;

function list(value: string | undefined, what: string, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const bad = items.filter((s) => !allowed.includes(s));
  if (bad.length > 0) throw new Error(`unknown ${what}: ${bad.join(', ')} (choose from ${allowed.join(', ')})`);
  return items;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      full: { type: 'boolean', default: false },
      only: { type: 'string' },
      libs: { type: 'string' },
      json: { type: 'string' },
      chart: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.quick && values.full) throw new Error('--quick and --full exclude each other');
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds wants a positive integer, got '${values.rounds}'`);
  const only = list(values.only, 'workload', [...WORKLOAD_IDS, ...SECTION_IDS]);
  const libs = list(values.libs, 'library', LIBRARIES) as Library[] | undefined;
  return {
    size: values.quick ? 'quick' : values.full ? 'full' : undefined,
    workloads: new Set(WORKLOAD_IDS.filter((w) => only === undefined || only.includes(w))),
    sections: new Set(SECTION_IDS.filter((s) => only === undefined || only.includes(s))),
    libs: libs ?? [...LIBRARIES],
    rounds,
    json: values.json,
    chart: values.chart,
    help: values.help,
  };
}

export function timingFor(size: SizeClass): { timing: TimingConfig; stepBatch: number; childTimeoutMs: number; compileNodes: number[]; rounds: number } {
  switch (size) {
    case 'quick':
      return { timing: { batch: 3, iterations: 5, timeMs: 150, warmupIterations: 1 }, stepBatch: 2, childTimeoutMs: 120_000, compileNodes: [1000, 10_000], rounds: 3 };
    case 'small':
      return { timing: { batch: 5, iterations: 10, timeMs: 1000, warmupIterations: 2 }, stepBatch: 3, childTimeoutMs: 900_000, compileNodes: [1000, 10_000, 100_000], rounds: 3 };
    case 'full':
      return { timing: { batch: 20, iterations: 20, timeMs: 2000, warmupIterations: 3 }, stepBatch: 10, childTimeoutMs: 1_200_000, compileNodes: [1000, 10_000, 100_000], rounds: 3 };
    default: {
      const never: never = size;
      return never;
    }
  }
}
