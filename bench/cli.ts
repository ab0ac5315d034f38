// Benchmarks: `pnpm bench` flags and what they select — size class, workloads and sections, the
// libraries, outputs — plus the timing settings of each size class.

import { parseArgs } from 'node:util';
import { LIBRARIES, type Library, type TimingConfig } from './protocol.js';
import { SECTION_IDS, WORKLOAD_IDS, type SectionId, type SizeClass, type WorkloadId } from './workloads.js';

export const BENCH_TUNE = ['quick', 'full', 'cached', 'off'] as const;
export type BenchTune = (typeof BENCH_TUNE)[number];

export interface BenchArgs {
  /** undefined: decided by the adapter (hardware → full, software → small). */
  readonly size: SizeClass | undefined;
  readonly workloads: ReadonlySet<WorkloadId>;
  readonly sections: ReadonlySet<SectionId>;
  readonly libs: readonly Library[];
  /** Interleaved rounds: every library runs once per round (undefined: the size class's default). */
  readonly rounds: number | undefined;
  /**
   * Kiln's schedules: 'quick' / 'full' tune every Kiln kernel missing from the tune cache in a
   * pass before round 1 (never inside timed samples), then every round compiles with that mode and
   * finds them cached; 'cached' uses the cache as it is (after `kiln tune`); 'off' ignores it.
   */
  readonly tune: BenchTune;
  readonly json: string | undefined;
  readonly chart: string | undefined;
  readonly help: boolean;
}

export const USAGE = `usage: pnpm bench [--quick | --full] [--only W1,W4,compile,memory] [--libs kiln,tfjs,jax-js,reference]
                  [--rounds N] [--tune quick|full|cached|off] [--json out.json] [--chart out.svg]
  --quick   small sizes, few samples (about a minute on a 2-core software adapter)
  --full    the H100 sizes of bench/workloads.ts (default on a hardware adapter; small sizes otherwise)
  --only    workloads ${WORKLOAD_IDS.join(',')} and Kiln sections ${SECTION_IDS.join(',')} (default: all)
  --libs    libraries to compare (default: ${LIBRARIES.join(',')}); each runs in its own process
            ('reference': hand-written WGSL GEMM/elementwise kernels and the roofline microkernels)
  --rounds  interleaved rounds, every library once per round (default 3)
  --tune    Kiln's kernel schedules (default quick): quick/full tune what the tune cache lacks in a
            pass before the rounds, untimed; cached: use the cache as it is; off: default schedules
  --json    write the report as JSON        --chart   write a vega-lite SVG chart`;

function list(value: string | undefined, what: string, allowed: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
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
      tune: { type: 'string', default: 'quick' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.quick && values.full) throw new Error('--quick and --full exclude each other');
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && !(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`--rounds wants a positive integer, got '${values.rounds}'`);
  const tune = BENCH_TUNE.find((t) => t === values.tune);
  if (tune === undefined) throw new Error(`--tune wants one of ${BENCH_TUNE.join(', ')}, got '${values.tune}'`);
  const only = list(values.only, 'workload', [...WORKLOAD_IDS, ...SECTION_IDS]);
  const libs = list(values.libs, 'library', LIBRARIES) as Library[] | undefined;
  return {
    size: values.quick ? 'quick' : values.full ? 'full' : undefined,
    workloads: new Set(WORKLOAD_IDS.filter((w) => only === undefined || only.includes(w))),
    sections: new Set(SECTION_IDS.filter((s) => only === undefined || only.includes(s))),
    libs: libs ?? [...LIBRARIES],
    rounds,
    tune,
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
