// Kernel signatures for the tuner: (op class, shape class, dtype) of a tunable kernel, and the
// adapter identity they are keyed under. Tunable today: GEMM (kernels anchored on a matmul) and
// elementwise kernels (elementwise-candidates.ts).
// Shape class: every dim of both operands and the result rounded up to a power of two (so 200×300
// and 256×256 share a schedule); batch dims kept in the class the same way.

import { classifyKernel, type Graph, type TensorType, type ValueId } from '@kiln/ir';
import type { WebGpuDeviceInfo } from '../webgpu/device.js';
import { elementwiseSignatureKey } from './elementwise-candidates.js';

const bucket = (d: number): number => (d <= 1 ? d : 2 ** Math.ceil(Math.log2(d)));
const shapeClass = (t: TensorType): string => t.shape.map(bucket).join('x');

function typeOf(kernel: Graph, id: ValueId): TensorType | undefined {
  return kernel.inputs.find((i) => i.id === id)?.type ?? kernel.nodes.find((n) => n.id === id)?.type;
}

export interface KernelSignature {
  /** Which schedules apply: GEMM or elementwise. */
  readonly kind: 'gemm' | 'elementwise';
  /** e.g. `gemm f32 a256x256 b256x256 c256x256`. */
  readonly key: string;
  /** The GEMM's N (result's last dim), which sizes the 'narrow' variant (0 for elementwise). */
  readonly n: number;
}

/** The signature of a tunable kernel; undefined when it is not one. */
export function kernelSignature(kernel: Graph): KernelSignature | undefined {
  const c = classifyKernel(kernel);
  if (c.ok && c.cls.kind === 'elementwise') {
    const key = elementwiseSignatureKey(kernel);
    return key === undefined ? undefined : { kind: 'elementwise', key, n: 0 };
  }
  if (!c.ok || c.cls.kind !== 'matmul') return undefined;
  const anchor = c.cls.anchor;
  const a = typeOf(kernel, anchor.operands[0] ?? -1);
  const b = typeOf(kernel, anchor.operands[1] ?? -1);
  if (a === undefined || b === undefined) return undefined;
  const key = `gemm ${anchor.type.dtype} a${shapeClass(a)} b${shapeClass(b)} c${shapeClass(anchor.type)}`;
  return { kind: 'gemm', key, n: anchor.type.shape[anchor.type.shape.length - 1] ?? 1 };
}

/** The adapter a schedule was measured on: description and kind (driver updates change the description). */
export function adapterIdentity(info: WebGpuDeviceInfo): string {
  return `${info.kind}: ${info.description}`;
}
