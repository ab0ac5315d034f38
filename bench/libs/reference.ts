// Benchmarks: the "reference" library process. On the same adapter as Kiln it measures the
// roofline — buffer-copy bandwidth (copyBufferToBuffer, read + written bytes) and an FMA-bound
// peak (bench/reference-kernels.ts) — and runs the hand-written GEMM (W1) and elementwise kernel
// (W2), spot-checked and timed exactly as Kiln is (batch dispatches, one submit, one wait).

import { requestWebGpuDevice, type WebGpuDeviceInfo } from '@kiln/runtime';
import { runAll, timeBatched, timedResult } from '../harness.js';
import { emitReport, errorText, readConfig, type LibConfig, type LibReport, type Roofline, type WorkloadResult } from '../protocol.js';
import { inputsFor, spotCheck } from '../reference.js';
import { FMA_CHAINS, FMA_ITER, REF_GEMM_TILE, fmaPeakWgsl, refElementwiseWgsl, refGemmWgsl } from '../reference-kernels.js';
import { caseLabel, type Workload } from '../workloads.js';
import { STORAGE, dispatchRepeated, grid2d, kernel, readBack, upload, type Dispatchable } from '../raw-gpu.js';

async function measureRoofline(info: WebGpuDeviceInfo, cfg: LibConfig, copyBytes: number): Promise<Roofline> {
  const device = info.device;
  const batch = cfg.timing.batch;
  const src = device.createBuffer({ size: copyBytes, usage: STORAGE });
  const dst = device.createBuffer({ size: copyBytes, usage: STORAGE });
  const copy = await timeBatched(
    'reference copy',
    async () => {
      const enc = device.createCommandEncoder();
      for (let i = 0; i < batch; i++) enc.copyBufferToBuffer(src, 0, dst, 0, copyBytes);
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
    },
    batch,
    cfg.timing,
  );
  src.destroy();
  dst.destroy();
  const threads = 256 * Math.min(256, info.limits.maxComputeWorkgroupsPerDimension);
  const out = device.createBuffer({ size: threads * 16, usage: STORAGE });
  const fma = await kernel(device, fmaPeakWgsl(), [out], [threads / 256, 1]);
  const peak = await timeBatched('reference fma', () => dispatchRepeated(device, fma, batch), batch, cfg.timing);
  out.destroy();
  const flops = threads * FMA_ITER * FMA_CHAINS * 4 * 2;
  return {
    copy_gbps: (2 * copyBytes) / (copy.median * 1e6),
    fma_gflops: flops / (peak.median * 1e6),
    copy_bytes: copyBytes,
    note: `copy: copyBufferToBuffer of ${copyBytes >> 20} MiB, read + written bytes; fma: ${threads} threads × ${FMA_CHAINS} vec4 fma chains × ${FMA_ITER} iterations`,
  };
}

async function runOne(info: WebGpuDeviceInfo, cfg: LibConfig, w: Workload): Promise<WorkloadResult> {
  const device = info.device;
  const inp = inputsFor(w);
  let k: Dispatchable;
  let output: GPUBuffer;
  let outBytes: number;
  if (w.id === 'W1' && inp.id === 'W1') {
    if (w.n % REF_GEMM_TILE !== 0) throw new Error(`reference GEMM needs N a multiple of ${REF_GEMM_TILE}, got ${w.n}`);
    outBytes = w.n * w.n * 4;
    output = device.createBuffer({ size: outBytes, usage: STORAGE });
    k = await kernel(device, refGemmWgsl(w.n), [upload(device, inp.a), upload(device, inp.b), output], [w.n / REF_GEMM_TILE, w.n / REF_GEMM_TILE]);
  } else if (w.id === 'W2' && inp.id === 'W2') {
    if (w.elems % 4 !== 0) throw new Error(`reference elementwise kernel needs a multiple of 4 elements, got ${w.elems}`);
    outBytes = w.elems * 4;
    output = device.createBuffer({ size: outBytes, usage: STORAGE });
    k = await kernel(device, refElementwiseWgsl(), [upload(device, inp.x), output], grid2d(Math.ceil(w.elems / 4 / 256), info.limits.maxComputeWorkgroupsPerDimension));
  } else throw new Error(`no reference kernel for ${w.id}`);
  await dispatchRepeated(device, k, 1);
  spotCheck(w, inp, await readBack(device, output, outBytes));
  const batch = cfg.timing.batch;
  const stats = await timeBatched(`reference ${w.id}`, () => dispatchRepeated(device, k, batch), batch, cfg.timing);
  return timedResult('reference', w, stats, batch, { gpu_busy_ms: null, gpu_busy_note: 'not measured for the reference row', notes: ['hand-written WGSL', 'spot-checked'] });
}

async function main(): Promise<void> {
  const cfg = readConfig<LibConfig>(process.argv);
  const workloads = cfg.workloads.filter((w) => w.id === 'W1' || w.id === 'W2');
  let info: WebGpuDeviceInfo;
  try {
    info = await requestWebGpuDevice();
  } catch (e) {
    const error = errorText(e);
    emitReport({
      library: 'reference',
      version: '-',
      adapter: null,
      timestampQuery: false,
      error,
      results: workloads.map((w) => ({ workload: w.id, library: 'reference', case: caseLabel(w), params: w, error })),
    } satisfies LibReport);
    return;
  }
  let roofline: Roofline | undefined;
  let rooflineError: string | undefined;
  try {
    roofline = await measureRoofline(info, cfg, cfg.size === 'full' ? 256 << 20 : 32 << 20);
  } catch (e) {
    rooflineError = errorText(e);
  }
  const results = await runAll('reference', workloads, (w) => runOne(info, cfg, w));
  emitReport({
    library: 'reference',
    version: '-',
    adapter: info.description,
    timestampQuery: false,
    results,
    ...(roofline !== undefined ? { roofline } : {}),
    ...(rooflineError !== undefined ? { error: `roofline: ${rooflineError}` } : {}),
  } satisfies LibReport);
}

await main();
process.exit(0);
