// Parity-test helpers: one WebGPU device per test file (Dawn in Node, navigator.gpu in Chromium;
// failing loudly when WebGPU is missing, unless KILN_ALLOW_NO_WEBGPU=1), graphs run on both the
// WebGPU backend and the CPU interpreter, and an element-wise comparison with stated tolerances.

import { GraphBuilder, KilnError, lcgUniforms, formatType, numel, type DType, type Graph, type Shape, type TensorType, type ValueId } from '@kiln/ir';
import { createWebGpuBackend, interpret, requestWebGpuDevice, type HostTensor, type WebGpuBackend, type WebGpuDeviceInfo } from '@kiln/runtime';
import type { GenerateOptions, GeneratedKernel } from '@kiln/codegen-wgsl';

export const t = (dtype: DType, shape: Shape): TensorType => ({ dtype, shape: [...shape] });
export const f32 = (...shape: number[]): TensorType => t('f32', shape);
export const i32 = (...shape: number[]): TensorType => t('i32', shape);
export const u32 = (...shape: number[]): TensorType => t('u32', shape);
export const bool = (...shape: number[]): TensorType => t('bool', shape);

/**
 * The test file's device, or undefined when WebGPU is unavailable and KILN_ALLOW_NO_WEBGPU=1
 * (the caller then skips, loudly). Without that variable a missing device throws.
 */
export async function acquireDevice(): Promise<WebGpuDeviceInfo | undefined> {
  try {
    return await requestWebGpuDevice();
  } catch (e) {
    // No process in a browser (pnpm test:browser runs this suite in Chromium): there it always fails.
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    if (env?.['KILN_ALLOW_NO_WEBGPU'] === '1') {
      console.warn(`WebGPU parity tests SKIPPED (KILN_ALLOW_NO_WEBGPU=1): ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    throw new Error(`WebGPU is required for the parity tests (set KILN_ALLOW_NO_WEBGPU=1 to skip locally): ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Deterministic pseudo-random numbers in [lo, hi) (an LCG; independent of the code under test). */
export function randoms(n: number, seed: number, lo = -1, hi = 1): number[] {
  return lcgUniforms(n, seed, lo, hi);
}

/** Sample data for a type: floats in [lo, hi), ints in [lo, hi) truncated, bools 0/1. */
export function sample(type: TensorType, seed: number, lo = -2, hi = 2): number[] {
  const xs = randoms(numel(type.shape), seed, lo, hi);
  switch (type.dtype) {
    case 'f32':
      return xs.map((x) => Math.fround(x));
    case 'i32':
      return xs.map((x) => Math.trunc(x * 25));
    case 'u32':
      return xs.map((x) => Math.trunc(Math.abs(x) * 25));
    case 'bool':
      return xs.map((x) => (x > 0 ? 1 : 0));
    default: {
      const never: never = type.dtype;
      return never;
    }
  }
}

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export const EXACT: Tolerance = { rtol: 0, atol: 0 };
export const F32_TOL: Tolerance = { rtol: 2e-6, atol: 1e-6 };

/** First mismatch between `got` and `want` (undefined when they agree within `tol`). */
export function mismatch(got: HostTensor, want: HostTensor, tol: Tolerance): string | undefined {
  if (formatType(got.type) !== formatType(want.type)) return `type ${formatType(got.type)} != ${formatType(want.type)}`;
  const n = want.data.length;
  if (got.data.length !== n) return `length ${got.data.length} != ${n}`;
  let worst: string | undefined;
  let worstExcess = 0;
  for (let i = 0; i < n; i++) {
    const a = got.data[i]!;
    const b = want.data[i]!;
    if (Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    const excess = Math.abs(a - b) - (tol.atol + tol.rtol * Math.abs(b));
    if (!(excess <= 0) && (worst === undefined || excess > worstExcess || Number.isNaN(excess))) {
      worst = `element ${i}: gpu ${a} vs cpu ${b} (|diff| ${Math.abs(a - b)})`;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  return worst;
}

export interface BothResult {
  readonly gpu: Record<string, HostTensor>;
  readonly cpu: Record<string, HostTensor>;
  /** The kernels the WebGPU backend generated, in dispatch order. */
  readonly kernels: readonly GeneratedKernel[];
}

export interface Harness {
  readonly backend: WebGpuBackend;
  /** Runs `graph` on the GPU and the CPU interpreter; returns both results by output name. */
  both(graph: Graph, inputs: Readonly<Record<string, readonly number[]>>, codegen?: GenerateOptions): Promise<BothResult>;
  /** Runs both and throws naming the first output that differs beyond `tol`. */
  check(graph: Graph, inputs: Readonly<Record<string, readonly number[]>>, tol: Tolerance, codegen?: GenerateOptions): Promise<BothResult>;
}

export function harness(device: WebGpuDeviceInfo): Harness {
  const backend = createWebGpuBackend({ device });
  const variants = new Map<string, WebGpuBackend>();
  const backendFor = (codegen: GenerateOptions | undefined): WebGpuBackend => {
    if (codegen === undefined) return backend;
    const key = JSON.stringify(codegen);
    let b = variants.get(key);
    if (b === undefined) {
      b = createWebGpuBackend({ device, codegen });
      variants.set(key, b);
    }
    return b;
  };
  const both: Harness['both'] = async (graph, inputs, codegen) => {
    const exe = await backendFor(codegen).compile(graph);
    try {
      const gpu = await exe.run(inputs);
      const cpu = interpret(graph, inputs);
      return { gpu, cpu, kernels: exe.kernels };
    } finally {
      exe.dispose();
    }
  };
  return {
    backend,
    both,
    async check(graph, inputs, tol, codegen) {
      const result = await both(graph, inputs, codegen);
      for (const [name, want] of Object.entries(result.cpu)) {
        const got = result.gpu[name];
        if (got === undefined) throw new KilnError({ message: `GPU result lacks output ${name}` });
        const bad = mismatch(got, want, tol);
        if (bad !== undefined) throw new Error(`@${graph.name} output ${name}: ${bad}`);
      }
      return result;
    },
  };
}

/** A graph of one kernel called once: `body` builds the kernel from its inputs. */
export function fusedGraph(name: string, inputs: Readonly<Record<string, TensorType>>, body: (kb: GraphBuilder, args: Record<string, ValueId>) => ValueId): Graph {
  const kb = new GraphBuilder(`k_${name}`, 'kernel');
  const kargs: Record<string, ValueId> = {};
  for (const [n, type] of Object.entries(inputs)) kargs[n] = kb.input(n, type);
  const out = body(kb, kargs);
  kb.output(out, 'out');
  const kernel = kb.build();
  const b = new GraphBuilder(name);
  const args = Object.entries(inputs).map(([n, type]) => b.input(n, type));
  b.addKernel(kernel);
  const call = b.add('call', args, { callee: kernel.name }, { type: kb.typeOf(out) });
  b.output(call, 'out');
  return b.build();
}
