// `pnpm exec tsx bench/w2-variants.ts [elements] [--rounds R]`: not part of `pnpm bench`. Where W2's
// time goes, kernel by kernel on one adapter: the reference row's hand kernel (fast-math tanh and
// logistic), Kiln's generated kernel (raw dispatch, and through the runtime as the bench times it),
// and two hand kernels that add Kiln's semantics to the reference one at a time — NaN and the sign
// decided on the bits, then the small-argument tanh polynomial. Each is checked for accuracy on
// inputs whose tanh argument is exact in f32 and for NaN/±Inf, then timed in interleaved rounds.

import { DEFAULT_PIPELINE, runPipeline } from '@kiln/passes';
import { createWebGpuBackend, requestWebGpuDevice, type WebGpuExecutable } from '@kiln/runtime';
import { summarize } from './harness.js';
import { traceWorkload } from './kiln-traces.js';
import { STORAGE, dispatchRepeated, kernel, readBack, upload, type Dispatchable } from './raw-gpu.js';
import { refElementwiseWgsl, vec4ElementwiseWgsl } from './reference-kernels.js';

const BATCH = 20;

/** The reference kernel's layout with another body, after y = 1.5x + 0.5. */
function handKernel(body: string): string {
  return vec4ElementwiseWgsl(`  let y = 1.5 * x + vec4<f32>(0.5);\n${body}`);
}

// Kiln's tanh above 0.625 and its logistic, with NaN and the sign of tanh decided on the bits.
const BITS = `  let uy = bitcast<vec4<u32>>(y);
  let my = uy & vec4<u32>(0x7fffffffu);
  let a = min(bitcast<vec4<f32>>(my), vec4<f32>(15.0));
  let big = 1.0 - 2.0 / (exp(2.0 * a) + 1.0);`;
const TAIL = `  let t = select(bitcast<vec4<f32>>(bitcast<vec4<u32>>(r) | (uy & vec4<u32>(0x80000000u))), y, my > vec4<u32>(0x7f800000u));
  let e = exp(-abs(x));
  let q = 1.0 / (1.0 + e);
  let s = select(select(e * q, q, x >= vec4<f32>(0.0)), x, (bitcast<vec4<u32>>(x) & vec4<u32>(0x7fffffffu)) > vec4<u32>(0x7f800000u));
  Y[i] = t * s;`;
const POLY = `a + a * z * (-0.33333281 + z * (0.13331442 + z * (-0.053739716 + z * (0.020639089 + z * -0.0057049887))))`;

const HAND: Readonly<Record<string, string>> = {
  'reference (fast-math)': refElementwiseWgsl(),
  '+ NaN and sign on the bits': handKernel(`${BITS}\n  let r = big;\n${TAIL}`),
  '+ small-argument polynomial (Kiln semantics)': handKernel(`${BITS}\n  let z = a * a;\n  let r = select(big, ${POLY}, a < vec4<f32>(0.625));\n${TAIL}`),
};

/** Inputs x = m·2^-22 and m·2^-20, where 1.5x + 0.5 is exact in f32, after NaN, ±Inf, ±0 and a few chosen ones. */
function inputs(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const m = ((i * 2654435761) >>> 0) % (1 << 21);
    x[i] = i % 2 === 0 ? (m - (1 << 20)) / 2 ** 22 : (m - (1 << 20)) / 2 ** 19 / 2;
  }
  // −1398101·2^-22 makes the tanh argument 2^-23, where (e − 1)/(e + 1) has no correct digit.
  x.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, -1398101 / 2 ** 22, 1e-30, -5]);
  return x;
}

function want(x: number): number {
  return Math.tanh(1.5 * x + 0.5) / (1 + Math.exp(-x));
}

/** Worst relative error over the finite inputs, and whether NaN, +Inf and −Inf came out as IEEE says. */
function check(x: Float32Array, y: Float32Array): { worst: number; special: string } {
  let worst = 0;
  for (let i = 3; i < x.length; i++) {
    const w = want(x[i]!);
    if (w !== 0 && Math.abs(y[i]! - w) / Math.abs(w) > worst) {
      worst = Math.abs(y[i]! - w) / Math.abs(w);
      if (process.env['DEBUG_W2']) console.log(i, x[i], y[i], w);
    }
  }
  const bad = [Number.isNaN(y[0]!) ? '' : `NaN→${y[0]}`, y[1] === 1 ? '' : `+Inf→${y[1]}`, y[2] === 0 ? '' : `−Inf→${y[2]}`].filter((s) => s !== '');
  return { worst, special: bad.length === 0 ? 'ok' : bad.join(' ') };
}

interface Variant {
  readonly name: string;
  readonly run: (times: number) => Promise<void>;
  readonly output: () => Promise<Float32Array>;
  readonly samples: number[];
}

async function main(): Promise<void> {
  const n = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1 << 20);
  const roundsAt = process.argv.indexOf('--rounds');
  const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 60;
  if (n % 1024 !== 0) throw new Error(`elements must be a multiple of 1024, got ${n}`);
  const info = await requestWebGpuDevice();
  const device = info.device;
  const xs = inputs(n);
  const bx = upload(device, xs);
  const raw = async (name: string, wgsl: string, grid: Dispatchable['grid']): Promise<Variant> => {
    const by = device.createBuffer({ size: n * 4, usage: STORAGE });
    const kern = await kernel(device, wgsl, [bx, by], grid);
    return { name, run: (times) => dispatchRepeated(device, kern, times), output: () => readBack(device, by, n * 4), samples: [] };
  };

  const traced = traceWorkload({ id: 'W2', elems: n });
  const exe: WebGpuExecutable = await createWebGpuBackend({ device: info }).compile(runPipeline(traced.graph, DEFAULT_PIPELINE).graph, { state: {}, tune: 'cached' });
  const generated = exe.kernels[0];
  if (exe.kernels.length !== 1 || generated === undefined) throw new Error(`W2 should be one kernel, got ${exe.kernels.length}`);
  const [input, output] = [generated.bindings.inputs[0], generated.bindings.output];
  if (input !== 0 || output !== 1 || generated.bindings.all.length !== 2)
    throw new Error(`W2's kernel binds ${generated.bindings.all.map((b) => `${b.binding}:${b.name}`).join(', ')}; expected input 0 and output 1`);
  const quarter = n / 4 / 256;
  // One pipeline at a time: concurrent async creation is what Dawn's OpenGL ES backend is not safe with.
  const variants: Variant[] = [];
  for (const [name, wgsl] of Object.entries(HAND)) variants.push(await raw(name, wgsl, [quarter, 1, 1]));
  variants.push(await raw(`Kiln kernel, raw dispatch (${generated.template})`, generated.wgsl, [generated.workgroups[0], generated.workgroups[1], generated.workgroups[2]]), {
    name: 'Kiln executable (runRepeated, as pnpm bench times it)',
    // The inputs stay on the device from output()'s run, as in pnpm bench (no upload per batch).
    run: (times) => exe.runRepeated(times),
    output: async () => Float32Array.from((await exe.run({ x: xs }))['y']!.data),
    samples: [],
  });
  console.log(`W2, ${n} elements, on ${info.description}; ${rounds} interleaved rounds of ${BATCH} runs`);
  const accuracy = new Map<string, string>();
  for (const v of variants) {
    await v.run(1);
    const { worst, special } = check(xs, await v.output());
    accuracy.set(v.name, `max rel err ${worst.toExponential(2)}, NaN/±Inf ${special}`);
  }
  for (let r = 0; r < rounds; r++)
    for (const v of variants) {
      const t0 = performance.now();
      await v.run(BATCH);
      v.samples.push((performance.now() - t0) / BATCH);
    }
  const ref = summarize(variants[0]!.samples).median;
  for (const v of variants) {
    const s = summarize(v.samples);
    console.log(`${v.name.padEnd(56)} ${s.median.toFixed(4)} ms (min ${s.min.toFixed(4)})  reference ÷ this ${(ref / s.median).toFixed(3)}  ${accuracy.get(v.name)}`);
  }
  exe.dispose();
}

await main();
process.exit(0);
