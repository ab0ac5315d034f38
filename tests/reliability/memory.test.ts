// Bounded memory on WebGPU: 1,000 compile-run-dispose cycles of one graph grow the process's RSS by
// at most 10 MB after warmup, and 1,000 distinct graphs (far beyond a 32-pipeline cache bound) by
// at most 50 MB. Each runs in a child `node --expose-gc` (memory-growth.ts) so GC is forced
// before every sample and nothing else in the test process is counted.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reliabilityBackends } from './backends.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const backends = await reliabilityBackends();

interface Growth {
  readonly mode: string;
  readonly cycles: number;
  readonly warmup: number;
  readonly growthMB: number;
  readonly samplesMB: readonly number[];
  readonly ms: number;
  readonly cache: { readonly entries: number; readonly evicted: number; readonly created: number };
}

function measure(mode: 'same' | 'distinct', cycles: number, warmup: number): Growth {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(here, 'memory-growth.ts'), mode, String(cycles), String(warmup)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 280_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (r.status !== 0 || line === undefined) throw new Error(`memory-growth.ts ${mode} failed (status ${r.status}, signal ${r.signal}):\n${r.stderr.slice(-2000)}`);
  const g = JSON.parse(line) as Growth;
  console.log(
    `memory growth (${mode}): ${g.growthMB.toFixed(2)} MB over ${g.cycles} cycles after ${g.warmup} warmup; samples ${g.samplesMB.map((s) => s.toFixed(1)).join(', ')} MB; ${(g.ms / 1000).toFixed(1)} s; cache ${JSON.stringify(g.cache)}`,
  );
  return g;
}

describe.skipIf(!backends.includes('webgpu'))('bounded memory (WebGPU, --expose-gc child process)', () => {
  it('1,000 compile-run-dispose cycles of one graph grow RSS by at most 10 MB after warmup', () => {
    const g = measure('same', 1000, 300);
    expect(g.cache.created).toBeLessThanOrEqual(4); // one graph: its pipelines are made once
    expect(g.growthMB).toBeLessThanOrEqual(10);
  }, 300_000);

  it('1,000 distinct graphs beyond the pipeline-cache bound grow RSS by at most 50 MB after warmup; the cache stays at its bound', () => {
    const g = measure('distinct', 1000, 400);
    expect(g.cache.entries).toBeLessThanOrEqual(32);
    expect(g.cache.evicted).toBeGreaterThan(2000);
    expect(g.growthMB).toBeLessThanOrEqual(50);
  }, 300_000);
});
