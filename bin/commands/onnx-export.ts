// `kiln export <model.ts> -o <model.onnx> [--seed S]`: traces a model script (its default export,
// as for `kiln print`) and writes the inference graph as ONNX (opset 17); parameters are stored
// with their current values (module variables) or their initializers drawn with --seed.

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KilnError } from '@kiln/ir';
import { initialize } from '@kiln/frontend';
import { exportGraph, type KilnTensor } from '@kiln/onnx';
import { toHostTensor } from '@kiln/runtime';
import { loadModel } from './io.js';

export async function onnxExportCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { output: { type: 'string', short: 'o' }, seed: { type: 'string', default: '0' } } });
  const [file] = positionals;
  if (file === undefined || values.output === undefined) throw new KilnError({ message: 'kiln export needs a model script and -o <file.onnx>' });
  const { graph, params } = await loadModel(file);
  const state: Record<string, KilnTensor> = {};
  for (const inp of graph.inputs.filter((i) => i.state)) {
    const p = params?.find((x) => x.name === inp.name);
    if (p === undefined) throw new KilnError({ file, message: `state input %${inp.name} has no value (export a traced model script, not an IR file)` });
    const t = p.variable !== undefined ? await p.variable.read() : toHostTensor(initialize(p, Number(values.seed)), inp.type, 'f32', `%${inp.name}`);
    state[inp.name] = { type: t.type, data: t.data instanceof Float64Array ? Float32Array.from(t.data) : t.data };
  }
  const bytes = exportGraph(graph, state);
  writeFileSync(values.output, bytes);
  console.error(`kiln export: ${file} -> ${values.output} (${bytes.length} bytes, ${graph.nodes.length} Kiln nodes)`);
  return 0;
}
