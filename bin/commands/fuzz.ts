// `kiln fuzz --seed S --runs N [--pass NAME|pipeline]`: random graphs through a pass (or the whole
// pipeline), checking verify, interpreter equivalence and print/parse round-trip; exit 1 on findings.

import { parseArgs } from 'node:util';
import { PASSES, formatFuzzReport, fuzz, passByName } from '@kiln/passes';
import { UsageError, numberOption } from './usage.js';

const intOption = (name: string, text: string): number => numberOption(name, text, 0, (x) => Number.isSafeInteger(x) && x >= 0, 'a non-negative integer');

export async function fuzzCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { seed: { type: 'string', default: '1' }, runs: { type: 'string', default: '200' }, pass: { type: 'string', default: 'pipeline' } },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (values.pass !== 'pipeline' && passByName(values.pass) === undefined)
    throw new UsageError(`unknown pass '${values.pass}' (known: ${[...PASSES.map((p) => p.name), 'pipeline'].join(', ')})`);
  const report = fuzz({ seed: intOption('seed', values.seed), runs: intOption('runs', values.runs), pass: values.pass });
  console.log(formatFuzzReport(report));
  return report.findings.length > 0 ? 1 : 0;
}
