// `kiln tune <script.ts|file.kir> [--full] [--pipeline P]`: tunes the model's tunable kernels
// (GEMM, implicit-GEMM conv) on this machine's WebGPU device, prints before/after per kernel signature and writes the
// winners to the tune cache (KILN_TUNE_CACHE, else the user's cache dir), which later compiles use.

import { parseArgs } from 'node:util';
import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createWebGpuBackend, requestWebGpuDevice } from '@kiln/runtime';
import { defaultTuneCachePath, fileTuneStore } from '@kiln/runtime/tune-file-store';
import { loadGraph } from './io.js';
import { UsageError } from './usage.js';

export async function tuneCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: { full: { type: 'boolean', default: false }, pipeline: { type: 'string', default: DEFAULT_PIPELINE } },
  });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('needs a model script or IR file');
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  const graph = runPipeline(await loadGraph(file), values.pipeline, { verify: true }).graph;
  const info = await requestWebGpuDevice();
  const path = defaultTuneCachePath();
  const mode = values.full ? 'full' : 'quick';
  const rows = await createWebGpuBackend({ device: info, tuneStore: fileTuneStore(path) }).tune(graph, mode);
  process.stdout.write(`kiln tune (${mode}) @${graph.name} on ${info.description}\n`);
  if (rows.length === 0) process.stdout.write('  no tunable kernels (GEMM, conv) in this model\n');
  for (const r of rows) {
    const speedup = r.before.ms / r.after.ms;
    process.stdout.write(
      `  ${r.signature} (${r.kernels.map((k) => `@${k}`).join(', ')}): ${r.candidates} candidates, ${r.rejected} rejected by the output check, timed by ${r.timing}\n` +
        `    before ${r.before.label.padEnd(28)} ${r.before.ms.toFixed(3)} ms\n` +
        `    after  ${r.after.label.padEnd(28)} ${r.after.ms.toFixed(3)} ms  ×${speedup.toFixed(2)}\n`,
    );
  }
  process.stdout.write(`wrote ${path}\n`);
  info.device.destroy();
  return 0;
}
