// `kiln wgsl <script.ts|file.kir> [--kernel NAME] [--pipeline P] [--limits L]`: prints the WGSL the
// WebGPU backend generates for each kernel of the pipeline's result, in dispatch order.

import { parseArgs } from 'node:util';
import { KilnError } from '@kiln/ir';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { loadGraph } from './io.js';
import { fusionOptions, generateKernels, kernelTarget, kernelText, parseLimitsChoice } from './kernels.js';
import { UsageError } from './usage.js';

export async function wgslCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { kernel: { type: 'string' }, pipeline: { type: 'string', default: DEFAULT_PIPELINE }, limits: { type: 'string' } },
  });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('needs a model script or IR file');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const limits = parseLimitsChoice(values.limits);
  const graph = await loadGraph(file);
  const target = await kernelTarget(limits);
  const final = runPipeline(graph, values.pipeline, { verify: true, ...fusionOptions(target) }).graph;
  const { compiled, dispatches } = generateKernels(final, target);
  const want = values.kernel?.replace(/^@/, '');
  const chosen = want === undefined ? dispatches : dispatches.filter((d) => d.callee === want);
  if (want === undefined && dispatches.length === 0) {
    process.stderr.write(`kiln wgsl: @${compiled.name} has no nodes, so no kernels\n`);
    return 0;
  }
  if (chosen.length === 0) {
    const names = dispatches.map((d) => `@${d.callee}`);
    throw new KilnError({ file, message: `no kernel @${want ?? ''} in @${compiled.name}; its kernels: ${names.length === 0 ? '(none)' : names.join(', ')}` });
  }
  // Kernels apart by a blank line; one kernel alone is a complete WGSL module as printed.
  process.stdout.write(chosen.map((d) => kernelText(d, dispatches.length, `@${compiled.name} from ${file}`, target)).join('\n'));
  return 0;
}
