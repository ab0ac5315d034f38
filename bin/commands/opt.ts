// `kiln opt <script.ts|file.kir> [--pipeline P] [--print-ir-after-all|-change|-failure] [--stats]`:
// runs a pass pipeline and prints the resulting IR; snapshots and per-pass stats go to stderr.

import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';
import { print } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline, type PrintIrAfter } from '@kiln/passes';
import { loadGraph } from './io.js';

export async function optCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      pipeline: { type: 'string', default: DEFAULT_PIPELINE },
      'print-ir-after-all': { type: 'boolean', default: false },
      'print-ir-after-change': { type: 'boolean', default: false },
      'print-ir-after-failure': { type: 'boolean', default: false },
      stats: { type: 'boolean', default: false },
      'repro-dir': { type: 'string' },
    },
  });
  const [file, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (file === undefined) throw new UsageError('kiln opt needs a model script or IR file');
  const printIrAfter: PrintIrAfter = values['print-ir-after-all'] ? 'all' : values['print-ir-after-change'] ? 'change' : values['print-ir-after-failure'] ? 'failure' : 'none';
  const result = runPipeline(await loadGraph(file), values.pipeline, {
    verify: true,
    printIrAfter,
    dump: (index, pass, text) => process.stderr.write(`// ----- IR after #${index} ${pass} -----\n${text}`),
    ...(values['repro-dir'] !== undefined ? { reproDir: values['repro-dir'] } : {}),
  });
  if (values.stats) for (const r of result.passes) process.stderr.write(`${formatPassRecord(r)}\n`);
  process.stdout.write(print(result.graph));
  return 0;
}

export function formatPassRecord(r: { index: number; pass: string; ms: number; changed: boolean; stats: Readonly<Record<string, number>> }): string {
  const stats = Object.entries(r.stats)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `#${r.index} ${r.pass.padEnd(15)} ${r.ms.toFixed(2).padStart(8)} ms  ${r.changed ? 'changed' : 'unchanged'}  ${stats}`;
}
