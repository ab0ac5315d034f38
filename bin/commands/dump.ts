// `kiln dump <script.ts|file.kir> --out <dir> [--pipeline P]`: writes the input IR and the IR after
// every pass as numbered .kir files (00-input.kir, 01-dce.kir, …) plus stats.txt with timings.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KilnError, print } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { loadGraph } from './io.js';
import { formatPassRecord } from './opt.js';

export async function dumpCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, pipeline: { type: 'string', default: DEFAULT_PIPELINE } },
  });
  const [file] = positionals;
  if (file === undefined || values.out === undefined) throw new KilnError({ message: 'usage: kiln dump <script.ts|file.kir> --out <dir>' });
  const out = values.out;
  mkdirSync(out, { recursive: true });
  const graph = await loadGraph(file);
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    writeFileSync(join(out, name), text);
    written.push(name);
  };
  write('00-input.kir', print(graph));
  const result = runPipeline(graph, values.pipeline, {
    verify: true,
    printIrAfter: 'all',
    reproDir: out,
    dump: (index, pass, text) => write(`${String(index + 1).padStart(2, '0')}-${pass}.kir`, text),
  });
  write('stats.txt', [`# pipeline: ${values.pipeline}`, ...result.passes.map(formatPassRecord)].join('\n') + '\n');
  console.log(`wrote ${written.length} files to ${out}: ${written.join(' ')}`);
  return 0;
}
