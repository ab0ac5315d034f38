// Benchmarks: the jax-js process (@jax-js/jax, webgpu device on Dawn through a navigator.gpu shim).
// Every workload is one jit-compiled function; W4 is jit(valueAndGrad + SGD update). Ops are queued
// on arrays already on the GPU and one wait is blockUntilReady on the last result (no readback).

import { installNavigatorGpu, type GpuShim } from '../gpu-shim.js';
import { runAll, timeBatched, timedResult } from '../harness.js';
import { emitReport, errorText, packageVersion, readConfig, type LibConfig, type LibReport, type WorkloadResult } from '../protocol.js';
import { inputsFor, mlpParams, nhwcToNchw, spotCheck } from '../reference.js';
import { MLP_CLASSES, MLP_IN, caseLabel, type Workload } from '../workloads.js';

type Jax = typeof import('@jax-js/jax');
type JArray = import('@jax-js/jax').Array;
type Params = [JArray, JArray, JArray, JArray, JArray, JArray];

async function loadJax(): Promise<{ jax: Jax; version: string }> {
  const jax = await import('@jax-js/jax');
  const devices = await jax.init('webgpu');
  if (!devices.includes('webgpu')) throw new Error(`jax-js found no webgpu device (got ${devices.join(', ') || 'none'})`);
  jax.defaultDevice('webgpu');
  const version = packageVersion('@jax-js/jax');
  return { jax, version };
}

interface Prepared {
  /** Queues one op (or training step); returns what to wait on / dispose. */
  readonly op: () => JArray;
  readonly check: () => Promise<void>;
  readonly dispose: () => void;
  readonly notes: string[];
}

/** NHWC → NCHW and HWIO → OIHW on the host: jax-js convolutions take channels-first operands. */
function toChannelsFirst(data: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let ch = 0; ch < c; ch++) out[((b * c + ch) * h + y) * w + x] = data[((b * h + y) * w + x) * c + ch]!;
  return out;
}

function hwioToOihw(data: Float32Array, k: number, cin: number, cout: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let ky = 0; ky < k; ky++)
    for (let kx = 0; kx < k; kx++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) out[((o * cin + i) * k + ky) * k + kx] = data[((ky * k + kx) * cin + i) * cout + o]!;
  return out;
}

async function prepare(jax: Jax, w: Workload): Promise<Prepared> {
  const { numpy: np, nn, lax, jit, valueAndGrad, tree } = jax;
  const inp = inputsFor(w);
  const upload = async (data: Float32Array, shape: number[]): Promise<JArray> => np.array(data).reshape(shape).blockUntilReady();
  if (w.id === 'W4' && inp.id === 'W4') {
    const { shapes, values } = mlpParams(w.hidden);
    let params = (await Promise.all(values.map((v, i) => upload(v, [...shapes[i]!])))) as Params;
    const x = await upload(inp.x, [w.batch, MLP_IN]);
    const y = await upload(inp.oneHot, [w.batch, MLP_CLASSES]);
    const lr = w.lr;
    const lossFn = (p: Params, xs: JArray, ys: JArray): JArray => {
      const [w1, b1, w2, b2, w3, b3] = p;
      const h1 = nn.relu(np.matmul(xs, w1).add(b1));
      const h2 = nn.relu(np.matmul(h1, w2).add(b2));
      const logits = np.matmul(h2, w3).add(b3);
      return np.mean(np.sum(nn.logSoftmax(logits, -1).mul(ys), -1)).neg();
    };
    const step = jit((p: Params, xs: JArray, ys: JArray): [JArray, Params] => {
      const [loss, grads] = valueAndGrad(lossFn)(tree.ref(p), xs, ys);
      const next = tree.map((param: JArray, g: JArray) => param.sub(g.mul(lr)), p, grads) as Params;
      return [loss, next];
    });
    const run = (): JArray => {
      const [loss, next] = step(params, x.ref, y.ref);
      params = next;
      return loss;
    };
    return {
      op: run,
      check: async () => {
        const v = (await run().data())[0];
        if (v === undefined || !Number.isFinite(v)) throw new Error(`training step loss is ${v}`);
      },
      dispose: () => {
        tree.dispose(params);
        x.dispose();
        y.dispose();
        step.dispose();
      },
      notes: ['jit(valueAndGrad(loss) + SGD update) per step'],
    };
  }
  let operands: JArray[];
  let fn: (...xs: JArray[]) => JArray;
  let layout: ((i: number) => number) | undefined;
  const notes: string[] = [];
  if (w.id === 'W1' && inp.id === 'W1') {
    operands = [await upload(inp.a, [w.n, w.n]), await upload(inp.b, [w.n, w.n])];
    fn = (a, b) => np.matmul(a, b);
  } else if (w.id === 'W2' && inp.id === 'W2') {
    operands = [await upload(inp.x, [w.elems])];
    fn = (x) => np.tanh(x.ref.mul(1.5).add(0.5)).mul(nn.sigmoid(x));
  } else if (w.id === 'W3' && inp.id === 'W3') {
    operands = [await upload(inp.x, [w.rows, w.cols])];
    fn = (x) => nn.softmax(x, -1);
  } else if (w.id === 'W5' && inp.id === 'W5') {
    operands = [await upload(toChannelsFirst(inp.x, w.n, w.hw, w.hw, w.cin), [w.n, w.cin, w.hw, w.hw]), await upload(hwioToOihw(inp.w, w.k, w.cin, w.cout), [w.cout, w.cin, w.k, w.k])];
    fn = (x, k) => lax.conv(x, k, [1, 1], 'SAME');
    layout = nhwcToNchw(w);
    notes.push('NCHW/OIHW (jax-js convolutions are channels-first)');
  } else throw new Error(`no jax-js program for ${w.id}`);
  const compiled = jit(fn);
  const op = (): JArray => compiled(...operands.map((o) => o.ref));
  return {
    op,
    check: async () => {
      const data = await op().data();
      spotCheck(w, inp, data, layout);
      notes.push('spot-checked');
    },
    dispose: () => {
      operands.forEach((o) => o.dispose());
      compiled.dispose();
    },
    notes,
  };
}

async function runOne(jax: Jax, shim: GpuShim, cfg: LibConfig, w: Workload): Promise<WorkloadResult> {
  const p = await prepare(jax, w);
  try {
    await p.check();
    const batch = w.id === 'W4' ? cfg.stepBatch : cfg.timing.batch;
    const stats = await timeBatched(
      `jax-js ${w.id}`,
      async () => {
        const made: JArray[] = [];
        for (let i = 0; i < batch; i++) made.push(p.op());
        // jax-js is lazy: an array never realized is never dispatched, so wait on every result.
        await Promise.all(made.map((m) => m.blockUntilReady()));
        made.forEach((m) => m.dispose());
      },
      batch,
      cfg.timing,
    );
    const note = shim.timestampQuery ? 'jax-js exposes timestamps only through its profiler trace; not measured' : "adapter lacks 'timestamp-query'";
    return timedResult('jax-js', w, stats, batch, { gpu_busy_ms: null, gpu_busy_note: note, ...(w.id === 'W4' ? { peak_bytes: null } : {}), notes: p.notes });
  } finally {
    p.dispose();
  }
}

async function main(): Promise<void> {
  const cfg = readConfig<LibConfig>(process.argv);
  let shim: GpuShim;
  let loaded: Awaited<ReturnType<typeof loadJax>>;
  try {
    shim = await installNavigatorGpu();
    loaded = await loadJax();
  } catch (e) {
    const error = errorText(e);
    emitReport({
      library: 'jax-js',
      version: '0.1.25',
      adapter: null,
      timestampQuery: false,
      error,
      results: cfg.workloads.map((w) => ({ workload: w.id, library: 'jax-js', case: caseLabel(w), params: w, error })),
    } satisfies LibReport);
    return;
  }
  const results = await runAll('jax-js', cfg.workloads, (w) => runOne(loaded.jax, shim, cfg, w));
  emitReport({ library: 'jax-js', version: loaded.version, adapter: shim.description, timestampQuery: shim.timestampQuery, results } satisfies LibReport);
}

await main();
process.exit(0);
