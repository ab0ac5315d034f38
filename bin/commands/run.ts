// `kiln run <file.kir|script.ts> --inputs <file.json> [--backend cpu|webgpu|auto] [--pipeline P] [--seed S]`:
// evaluates a graph once and prints every output (updated state included) as JSON on stdout; the
// backend used, and why, goes to stderr. The CPU interpreter is the reference and the default.

import { parseArgs } from 'node:util';
import { KilnError, verifyOrThrow } from '@kiln/ir';
import { initialize } from '@kiln/frontend';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import type { HostInput, HostTensor } from '@kiln/runtime';
import { release, requestedBackend, resolveBackend } from './backend.js';
import { loadModel, readInputs, toJson } from './io.js';
import { UsageError, numberOption } from './usage.js';

export async function runCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { inputs: { type: 'string' }, backend: { type: 'string' }, pipeline: { type: 'string' }, seed: { type: 'string' } },
  });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('kiln run needs an IR file or model script: kiln run <file.kir|script.ts> --inputs <file.json>');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const request = requestedBackend(values.backend, 'cpu');
  const seed = numberOption('seed', values.seed, 0, (x) => Number.isInteger(x) && x >= 0, 'a non-negative integer');

  const { graph, params } = await loadModel(file);
  verifyOrThrow(graph, { file });
  // A script's parameters may be left out: they start from their initializers, as in k.compile.
  const initialized = (name: string): boolean => params?.some((p) => p.name === name) ?? false;
  const needed = graph.inputs.filter((i) => !(i.state && initialized(i.name)));
  if (values.inputs === undefined && needed.length > 0)
    throw new KilnError({ file, message: `@${graph.name} has inputs (${needed.map((i) => `%${i.name}`).join(', ')}): pass --inputs <file.json>` });
  const given = values.inputs === undefined ? {} : readInputs(values.inputs, graph, (i) => i.state && initialized(i.name));
  const inputs: Record<string, HostInput> = {};
  const state: Record<string, HostInput> = {};
  for (const inp of graph.inputs) {
    const param = params?.find((p) => p.name === inp.name);
    const value = given[inp.name] ?? (param !== undefined ? initialize(param, seed) : undefined);
    if (value !== undefined) (inp.state ? state : inputs)[inp.name] = value;
  }

  const backend = await resolveBackend(request);
  // The CPU interpreter runs the graph as written unless asked; WebGPU gets the default pipeline (fusion, planning).
  const pipeline = values.pipeline ?? (backend.name === 'webgpu' ? DEFAULT_PIPELINE : '');
  process.stderr.write(`kiln run: backend ${backend.description}${pipeline.trim() === '' ? '' : `; pipeline '${pipeline}'`}\n`);
  const runnable = pipeline.trim() === '' ? graph : runPipeline(graph, pipeline).graph;
  const json: Record<string, unknown> = {};
  try {
    const exe = await backend.backend.compile(runnable, { state });
    try {
      const outputs = await exe.run(inputs);
      for (const o of runnable.outputs) {
        const t: HostTensor | undefined = o.updatesState ? await exe.getState(o.name) : outputs[o.name];
        if (t !== undefined) json[o.name] = toJson(t);
      }
    } finally {
      exe.dispose();
    }
  } finally {
    release(backend);
  }
  console.log(JSON.stringify(json));
  return 0;
}
