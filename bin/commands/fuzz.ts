// `kiln fuzz --seed S --runs N [--pass NAME|pipeline]`: random graphs through a pass (or the whole
// pipeline), checking verify, interpreter equivalence and print/parse round-trip; exit 1 on findings.
// With `--backend webgpu`: differential fuzzing, CPU interpreter vs WebGPU (see fuzz-webgpu.ts).

import { parseArgs } from 'node:util';
import { PASSES, passByName } from '@kiln/passes';
import { formatFuzzReport, fuzz } from '@kiln/fuzz';
import { release, webGpuBackend } from './backend.js';
import { formatWebGpuReport, fuzzWebGpu } from './fuzz-webgpu.js';
import { UsageError, numberOption } from './usage.js';

const intOption = (name: string, text: string): number => numberOption(name, text, 0, (x) => Number.isSafeInteger(x) && x >= 0, 'a non-negative integer');

export async function fuzzCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '1' },
      runs: { type: 'string', default: '200' },
      pass: { type: 'string' },
      backend: { type: 'string', default: 'cpu' },
      special: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const seed = intOption('seed', values.seed);
  const runs = intOption('runs', values.runs);
  const pass = values.pass ?? 'pipeline';
  if (pass !== 'pipeline' && passByName(pass) === undefined) throw new UsageError(`unknown pass '${pass}' (known: ${[...PASSES.map((p) => p.name), 'pipeline'].join(', ')})`);
  const specialValues = numberOption('special', values.special, 0.2, (x) => x >= 0 && x <= 1, 'a share between 0 and 1');
  switch (values.backend) {
    case 'cpu': {
      if (values.special !== undefined) throw new UsageError('--special applies to --backend webgpu only');
      const report = fuzz({ seed, runs, pass });
      console.log(formatFuzzReport(report));
      return report.findings.length > 0 ? 1 : 0;
    }
    case 'webgpu': {
      if (values.pass !== undefined) throw new UsageError('--backend webgpu runs the default pipeline; --pass applies to --backend cpu only');
      const backend = await webGpuBackend(`--backend webgpu`);
      process.stderr.write(`kiln fuzz: backend ${backend.description}\n`);
      try {
        const report = await fuzzWebGpu(backend.backend, { seed, runs, specialValues });
        console.log(formatWebGpuReport(report, seed));
        return report.findings.length > 0 ? 1 : 0;
      } finally {
        release(backend);
      }
    }
    default:
      throw new UsageError(`--backend must be cpu or webgpu, got '${values.backend}'`);
  }
}
