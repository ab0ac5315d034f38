// `kiln check <file.kir>`: parse + verify; prints every diagnostic as file:line:col and exits 1 on any.

import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';
import { formatDiagnostic, verify } from '@kiln/ir';
import { readIr } from './io.js';

export async function checkCommand(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [file, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (file === undefined) throw new UsageError('kiln check needs an IR file: kiln check <file.kir>');
  const g = readIr(file);
  const diags = verify(g, { file });
  for (const d of diags) console.error(formatDiagnostic(d));
  if (diags.length > 0) return 1;
  console.log(`${file}: ok (@${g.name}: ${g.nodes.length} nodes, ${g.kernels.length} kernels)`);
  return 0;
}
