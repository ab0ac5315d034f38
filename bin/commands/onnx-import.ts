// `kiln import <model.onnx> -o <model.kir> [--shape name=2,3,...] [--constants]`: imports an ONNX
// model into Kiln IR text. Initializers become state inputs (parameters) unless --constants makes
// them constant nodes (a self-contained file `kiln run` can execute); --shape fixes symbolic dims.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KilnError, print, verifyOrThrow } from '@kiln/ir';
import { importModel } from '@kiln/onnx';
import { readModelFile } from '@kiln/onnx/node';

export async function onnxImportCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, shape: { type: 'string', multiple: true, default: [] }, constants: { type: 'boolean', default: false } },
  });
  const [file] = positionals;
  if (file === undefined) throw new KilnError({ message: 'kiln import needs an ONNX model file' });
  const inputShapes: Record<string, number[]> = {};
  for (const s of values.shape) {
    const m = /^([^=]+)=([0-9,]*)$/.exec(s);
    if (m === null) throw new KilnError({ message: `--shape ${s}: expected name=d0,d1,...` });
    inputShapes[m[1] ?? ''] = (m[2] ?? '')
      .split(',')
      .filter((x) => x !== '')
      .map(Number);
  }
  const { model, external } = readModelFile(file);
  const imported = importModel(model, { external, inputShapes, initializers: values.constants ? 'constant' : 'state' });
  verifyOrThrow(imported.graph, { file });
  const text = print(imported.graph);
  if (values.output === undefined) process.stdout.write(text);
  else writeFileSync(values.output, text);
  const what = values.constants ? 'initializers as constants' : `${imported.params.length} initializer(s) as state inputs`;
  console.error(`kiln import: ${file}: ${model.graph.nodes.length} ONNX nodes (opset ${imported.opset}) -> ${imported.graph.nodes.length} Kiln nodes, ${what}`);
  return 0;
}
