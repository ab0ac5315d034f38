// `kiln fuzz --seed S --runs N [--pass NAME|pipeline]`: random graphs through a pass (or the whole
// pipeline), checking verify, interpreter equivalence and print/parse round-trip; exit 1 on findings.

import { parseArgs } from 'node:util';
import { KilnError } from '@kiln/ir';
import { formatFuzzReport, fuzz } from '@kiln/fuzz';

function intOption(name: string, text: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 0) throw new KilnError({ message: `--${name} must be a non-negative integer, got "${text}"` });
  return v;
}

export async function fuzzCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { seed: { type: 'string', default: '1' }, runs: { type: 'string', default: '200' }, pass: { type: 'string', default: 'pipeline' } },
  });
  const report = fuzz({ seed: intOption('seed', values.seed), runs: intOption('runs', values.runs), pass: values.pass });
  console.log(formatFuzzReport(report));
  return report.findings.length > 0 ? 1 : 0;
}
