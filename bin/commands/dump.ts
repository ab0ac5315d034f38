// `kiln dump <script.ts|file.kir> --out <dir> [--pipeline P] [--limits L] [--svg]`: the input IR and
// the IR after every pass as numbered .kir files (00-input.kir, 01-dce.kir, …), the WGSL of every
// kernel of the final graph (kernels/01-<kernel>.wgsl, …), stats.txt; with --svg a picture per pass.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KilnError, parse, print, type Graph } from '@kiln/ir';
import { DEFAULT_PIPELINE, graphToDot, runPipeline } from '@kiln/passes';
import type { Viz } from '@viz-js/viz';
import { loadGraph } from './io.js';
import { fusionOptions, generateKernels, kernelFileName, kernelTarget, kernelText, parseLimitsChoice } from './kernels.js';
import { formatPassRecord } from './opt.js';
import { UsageError } from './usage.js';

/** DOT → SVG through Graphviz compiled to WebAssembly (@viz-js/viz): no system Graphviz needed. */
export async function svgRenderer(): Promise<(g: Graph) => string> {
  let viz: Viz;
  try {
    viz = await (await import('@viz-js/viz')).instance();
  } catch (e) {
    // Only --svg needs it: an installed CLI without the package should say so, not crash.
    throw new KilnError({ message: `--svg needs the @viz-js/viz package (${e instanceof Error ? e.message.split('\n')[0] : String(e)})` });
  }
  return (g) => {
    const r = viz.render(graphToDot(g), { format: 'svg' });
    if (r.status !== 'success') throw new KilnError({ message: `cannot draw @${g.name}: Graphviz ${r.errors.map((e) => e.message.trim()).join('; ')}` });
    return r.output;
  };
}

export async function dumpCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      pipeline: { type: 'string', default: DEFAULT_PIPELINE },
      limits: { type: 'string' },
      svg: { type: 'boolean', default: false },
    },
  });
  const [file, ...extra] = positionals;
  if (file === undefined || values.out === undefined) throw new UsageError('needs a model script or IR file and --out <dir>');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const limits = parseLimitsChoice(values.limits);
  const out = values.out;
  const graph = await loadGraph(file);
  // Before the pipeline: fusion respects the target's limits (see fusionOptions).
  const target = await kernelTarget(limits);
  const render = values.svg ? await svgRenderer() : undefined;
  mkdirSync(out, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string): void => {
    writeFileSync(join(out, name), text);
    written.push(name);
  };
  const snapshot = (stem: string, text: string, g: Graph): void => {
    write(`${stem}.kir`, text);
    if (render !== undefined) write(`${stem}.svg`, render(g));
  };
  snapshot('00-input', print(graph), graph);
  const result = runPipeline(graph, values.pipeline, {
    verify: true,
    ...fusionOptions(target),
    printIrAfter: 'all',
    reproDir: out,
    // The picture is of the IR text beside it, re-read: the dump hands over text, not the graph.
    dump: (index, pass, text) => snapshot(`${String(index + 1).padStart(2, '0')}-${pass}`, text, parse(text, `${pass} dump`)),
  });

  const { compiled, dispatches } = generateKernels(result.graph, target);
  mkdirSync(join(out, 'kernels'), { recursive: true });
  const kernelLines = dispatches.map((d) => {
    const name = `kernels/${kernelFileName(d, dispatches.length)}`;
    write(name, kernelText(d, dispatches.length, `@${compiled.name} from ${file}`, target));
    return `${name.padEnd(48)} ${d.kernel.template.padEnd(22)} workgroups [${d.kernel.workgroups.join(',')}] of [${d.kernel.workgroupSize.join(',')}]`;
  });
  const outlined = compiled === result.graph ? '' : ' (the final graph is not in fused form: each node is outlined into its own kernel, as the WebGPU backend does)';
  write(
    'stats.txt',
    [
      `# pipeline: ${values.pipeline}`,
      ...result.passes.map(formatPassRecord),
      `# kernels: ${dispatches.length} in dispatch order${outlined}; ${target.description}`,
      ...kernelLines,
    ].join('\n') + '\n',
  );
  console.log(`wrote ${written.length} files to ${out}: ${written.join(' ')}`);
  return 0;
}
