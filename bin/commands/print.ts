// `kiln print <script.ts|file.kir> [--grad] [--locations]`: prints the traced IR of a model script
// (or re-prints an IR file canonically). --grad appends the symbolic backward graph.

import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';
import { KilnError, print, verifyOrThrow, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import { loadGraph } from './io.js';

export async function printCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { grad: { type: 'boolean', default: false }, locations: { type: 'boolean', default: false } },
  });
  const [file, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (file === undefined) throw new UsageError('kiln print needs a model script or IR file');
  let g = await loadGraph(file);
  if (values.grad) g = await withGradients(g, file);
  verifyOrThrow(g, { file });
  process.stdout.write(print(g, { locations: values.locations }));
  return 0;
}

async function withGradients(g: Graph, file: string): Promise<Graph> {
  const { gradGraph } = await import('@kiln/frontend');
  const typeOf = (v: ValueId): TensorType | undefined => g.nodes.find((n) => n.id === v)?.type ?? g.inputs.find((i) => i.id === v)?.type;
  const scalar = g.outputs.find((o) => !o.updatesState && typeOf(o.value)?.shape.length === 0);
  if (scalar === undefined) throw new KilnError({ file, message: '--grad needs a scalar output (e.g. loss) to differentiate' });
  const wrt = g.inputs.filter((i) => i.state && i.type.dtype === 'f32').map((i) => i.name);
  return gradGraph(g, { of: scalar.name, wrt });
}
