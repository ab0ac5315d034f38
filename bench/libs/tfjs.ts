// Benchmarks: the TF.js process (@tensorflow/tfjs-core + tfjs-backend-webgpu on Dawn, gradients
// registered). Ops are queued on tensors already on the GPU; one wait = flush TF.js's command
// encoder and await the queue. GPU-busy from tf.time() when the adapter has timestamp queries.

import { register } from 'node:module';
import { installNavigatorGpu, type GpuShim } from '../gpu-shim.js';
import { runAll, timeBatched, timedResult, type Extra } from '../harness.js';
import { emitReport, errorText, packageVersion, readConfig, type LibConfig, type LibReport, type WorkloadResult } from '../protocol.js';
import { inputsFor, mlpParams, spotCheck } from '../reference.js';
import { MLP_CLASSES, MLP_IN, caseLabel, type Workload } from '../workloads.js';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tensor = import('@tensorflow/tfjs-core').Tensor;
type Variable = import('@tensorflow/tfjs-core').Variable;

/** The parts of tfjs-backend-webgpu's WebGPUBackend the harness drives (not in its public types). */
interface WebGpuBackendLike {
  readonly device: GPUDevice;
  readonly supportTimestampQuery: boolean;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
}

async function loadTf(): Promise<{ tf: Tf; backend: WebGpuBackendLike; version: string }> {
  register(new URL('../tfjs-resolve-hook.mjs', import.meta.url));
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error("tf.setBackend('webgpu') failed");
  await tf.ready();
  const version = packageVersion('@tensorflow/tfjs-backend-webgpu');
  return { tf, backend: tf.backend() as unknown as WebGpuBackendLike, version };
}

/** Flushes TF.js's pending commands and waits for the GPU (no readback). */
async function sync(be: WebGpuBackendLike): Promise<void> {
  be.ensureCommandEncoderReady();
  be.endComputePassEncoder();
  be.submitQueue();
  await be.device.queue.onSubmittedWorkDone();
}

interface Prepared {
  /** One op (or training step); returns the tensors to dispose after the wait. */
  readonly op: () => Tensor[];
  readonly check: () => Promise<void>;
  readonly peakBytes?: () => Promise<number>;
  readonly dispose: () => void;
}

function prepare(tf: Tf, w: Workload): Prepared {
  const inp = inputsFor(w);
  const keep: Tensor[] = [];
  const hold = <T extends Tensor>(t: T): T => {
    keep.push(t);
    return t;
  };
  const dispose = (): void => keep.forEach((t) => t.dispose());
  const checked = (op: () => Tensor): Pick<Prepared, 'op' | 'check'> => ({
    op: () => [op()],
    check: async () => {
      const out = op();
      const data = await out.data();
      out.dispose();
      spotCheck(w, inp, data);
    },
  });
  if (w.id === 'W1' && inp.id === 'W1') {
    const a = hold(tf.tensor2d(inp.a, [w.n, w.n]));
    const b = hold(tf.tensor2d(inp.b, [w.n, w.n]));
    return { ...checked(() => tf.matMul(a, b)), dispose };
  }
  if (w.id === 'W2' && inp.id === 'W2') {
    const x = hold(tf.tensor1d(inp.x));
    const c15 = hold(tf.scalar(1.5));
    const c05 = hold(tf.scalar(0.5));
    return { ...checked(() => tf.tidy(() => tf.mul(tf.tanh(tf.add(tf.mul(x, c15), c05)), tf.sigmoid(x)))), dispose };
  }
  if (w.id === 'W3' && inp.id === 'W3') {
    const x = hold(tf.tensor2d(inp.x, [w.rows, w.cols]));
    return { ...checked(() => tf.softmax(x)), dispose };
  }
  if (w.id === 'W5' && inp.id === 'W5') {
    const x = hold(tf.tensor4d(inp.x, [w.n, w.hw, w.hw, w.cin]));
    const k = hold(tf.tensor4d(inp.w, [w.k, w.k, w.cin, w.cout]));
    return { ...checked(() => tf.conv2d(x, k, 1, 'same')), dispose };
  }
  if (w.id === 'W4' && inp.id === 'W4') {
    const { shapes, values } = mlpParams(w.hidden);
    const vars: Variable[] = values.map((v, i) => hold(tf.variable(tf.tensor(v, [...shapes[i]!]))));
    const [w1, b1, w2, b2, w3, b3] = vars as [Variable, Variable, Variable, Variable, Variable, Variable];
    const x = hold(tf.tensor2d(inp.x, [w.batch, MLP_IN]));
    const y = hold(tf.tensor2d(inp.oneHot, [w.batch, MLP_CLASSES]));
    const opt = tf.train.sgd(w.lr);
    const loss = (): import('@tensorflow/tfjs-core').Scalar => {
      const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
      const h2 = tf.relu(tf.add(tf.matMul(h1, w2), b2));
      const logits = tf.add(tf.matMul(h2, w3), b3);
      return tf.losses.softmaxCrossEntropy(y, logits);
    };
    return {
      op: () => {
        opt.minimize(loss, false, vars);
        return [];
      },
      check: async () => {
        const l = opt.minimize(loss, true, vars);
        const v = l === null ? Number.NaN : (await l.data())[0];
        l?.dispose();
        if (v === undefined || !Number.isFinite(v)) throw new Error(`training step loss is ${v}`);
      },
      peakBytes: async () => (await tf.profile(() => void opt.minimize(loss, false, vars))).peakBytes,
      dispose: () => {
        dispose();
        opt.dispose();
      },
    };
  }
  throw new Error(`no TF.js program for ${w.id}`);
}

async function gpuBusy(tf: Tf, be: WebGpuBackendLike, shim: GpuShim, p: Prepared, batch: number): Promise<Extra> {
  if (!shim.timestampQuery || !be.supportTimestampQuery) return { gpu_busy_ms: null, gpu_busy_note: "adapter lacks 'timestamp-query'" };
  const made: Tensor[] = [];
  const t = await tf.time(() => {
    for (let i = 0; i < batch; i++) made.push(...p.op());
  });
  made.forEach((m) => m.dispose());
  if (typeof t.kernelMs !== 'number') return { gpu_busy_ms: null, gpu_busy_note: `tf.time: ${t.kernelMs.error}` };
  return { gpu_busy_ms: t.kernelMs / batch, gpu_busy_note: 'tf.time kernelMs (timestamp queries around each dispatch)' };
}

async function runOne(tf: Tf, be: WebGpuBackendLike, shim: GpuShim, cfg: LibConfig, w: Workload): Promise<WorkloadResult> {
  const p = prepare(tf, w);
  try {
    await p.check();
    const batch = w.id === 'W4' ? cfg.stepBatch : cfg.timing.batch;
    const stats = await timeBatched(
      `tfjs ${w.id}`,
      async () => {
        const made: Tensor[] = [];
        for (let i = 0; i < batch; i++) made.push(...p.op());
        await sync(be);
        made.forEach((m) => m.dispose());
      },
      batch,
      cfg.timing,
    );
    const busy = await gpuBusy(tf, be, shim, p, batch);
    const peak = p.peakBytes !== undefined ? { peak_bytes: await p.peakBytes() } : {};
    const notes = w.id === 'W4' ? ['peak_bytes from tf.profile (all live tensors, params included)'] : ['spot-checked'];
    return timedResult('tfjs', w, stats, batch, { ...busy, ...peak, notes });
  } finally {
    p.dispose();
  }
}

async function main(): Promise<void> {
  const cfg = readConfig<LibConfig>(process.argv);
  let shim: GpuShim;
  let loaded: Awaited<ReturnType<typeof loadTf>>;
  try {
    shim = await installNavigatorGpu();
    loaded = await loadTf();
  } catch (e) {
    const error = errorText(e);
    emitReport({
      library: 'tfjs',
      version: '4.22.0',
      adapter: null,
      timestampQuery: false,
      error,
      results: cfg.workloads.map((w) => ({ workload: w.id, library: 'tfjs', case: caseLabel(w), params: w, error })),
    } satisfies LibReport);
    return;
  }
  const { tf, backend, version } = loaded;
  const results = await runAll('tfjs', cfg.workloads, (w) => runOne(tf, backend, shim, cfg, w));
  emitReport({ library: 'tfjs', version, adapter: shim.description, timestampQuery: shim.timestampQuery, results } satisfies LibReport);
}

await main();
process.exit(0);
