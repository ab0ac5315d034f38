// Run as `node --expose-gc --import tsx tests/reliability/memory-growth.ts <mode> <cycles>` (by
// memory.test.ts): compile-run-dispose cycles on WebGPU, printing one JSON line with the RSS
// growth after warmup. mode 'same' compiles one graph every cycle; 'distinct' a new graph every
// cycle (new constants, so new WGSL), far beyond a small pipeline-cache bound.

import * as k from '@kiln/frontend';
import * as runtime from '@kiln/runtime';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const collect = gc;

const mode = process.argv[2] ?? 'same';
const cycles = Number(process.argv[3] ?? '1000');
const CACHE_BOUND = 32;

function graph(n: number, c = 1): k.Traced {
  return k.trace(
    ({ x }) => {
      const w = k.param('w', [n], k.init.ones());
      const y = k.tanh(k.add(k.mul(x, w), c));
      k.assign(w, k.sub(w, k.mul(y, 0.01)));
      return { loss: k.sum(y) };
    },
    { x: k.f32([n]) },
  );
}

async function settle(): Promise<number> {
  // FinalizationRegistry callbacks and Dawn's deferred frees need a few turns of the event loop.
  for (let i = 0; i < 3; i++) {
    collect();
    await new Promise((r) => setTimeout(r, 10));
  }
  return process.memoryUsage().rss;
}

async function main(): Promise<void> {
  const { device } = await runtime.requestWebGpuDevice();
  runtime.configurePipelineCache(device, { maxEntries: CACHE_BOUND });
  const same = graph(64);
  const warmup = Number(process.argv[4] ?? 300);
  const every = 100;
  let base = 0;
  const samples: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < warmup + cycles; i++) {
    // Distinct constants (WGSL literals) keep every graph new but its size, and compile time, fixed.
    const traced = mode === 'same' ? same : graph(64, 1 + i / 1024);
    const step = await k.compile(traced, { device });
    await step.run({ x: new Float32Array(64).fill(0.5) });
    step.dispose();
    // The same settle (forced GC) every `every` cycles, warmup included: a first GC after a long
    // stretch without one frees more than later ones do, and would make the baseline unfairly low.
    if ((i + 1) % every !== 0 && i + 1 !== warmup) continue;
    const rss = await settle();
    if (process.env['MEM_TRACE'] === '1') console.error(i + 1, Math.round(performance.now() - t0), Math.round(rss / 2 ** 20));
    if (i + 1 === warmup) base = rss;
    else if (i + 1 > warmup) samples.push(Math.round((rss - base) / 2 ** 10) / 1024);
  }
  const end = await settle();
  samples.push(Math.round((end - base) / 2 ** 10) / 1024);
  const stats = runtime.pipelineCacheStats(device);
  console.log(
    JSON.stringify({
      mode,
      cycles,
      warmup,
      growthMB: (end - base) / 2 ** 20,
      samplesMB: samples,
      ms: Math.round(performance.now() - t0),
      heapMB: process.memoryUsage().heapUsed / 2 ** 20,
      cache: { entries: stats.entries, evicted: stats.evicted, created: stats.created },
    }),
  );
  device.destroy();
}

await main();
