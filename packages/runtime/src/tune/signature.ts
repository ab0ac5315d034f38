// Kernel signatures for the tuner: (kernel class, shape class, dtype, layout) of a tunable kernel,
// and the adapter identity they are keyed under. Tunable today: GEMM (kernels anchored on a
// matmul) and implicit-GEMM conv (anchored on a conv), both taking GEMM schedules, and elementwise
// kernels (elementwise-candidates.ts). Shape class:
// every dim rounded up to a power of two (so 200×300 and 256×256 share a schedule); conv keys keep
// the attributes that change the generated addressing (stride, padding, dilations, groups) exactly.

import { classifyKernel, elementAt, type Graph, type Node, type TensorType, type ValueId } from '@kiln/ir';
import type { WebGpuDeviceInfo } from '../webgpu/device.js';
import { elementwiseSignatureKey } from './elementwise-candidates.js';

const bucket = (d: number): number => (d <= 1 ? d : 2 ** Math.ceil(Math.log2(d)));
const shapeClass = (t: TensorType): string => t.shape.map(bucket).join('x');

function typeOf(kernel: Graph, id: ValueId): TensorType | undefined {
  return kernel.inputs.find((i) => i.id === id)?.type ?? kernel.nodes.find((n) => n.id === id)?.type;
}

/** The kernel classes the tuner has candidates for (candidates.ts keys its table by these). */
export type TunableClass = 'gemm' | 'conv' | 'elementwise';

export interface KernelSignature {
  readonly cls: TunableClass;
  /** e.g. `gemm f32 a256x256 b256x256 c256x256`, `conv f32 x4x16x16x32 w3x3x32x32 o4x16x16x32 s1,1 p1,1,1,1 l1,1 r1,1 g1`. */
  readonly key: string;
  /** The GEMM's N (output columns per group), which sizes the 'narrow' variant and conv tiles (0 for elementwise). */
  readonly n: number;
  /** The GEMM's M (output rows: conv output positions), which bounds useful tile heights (0 for elementwise). */
  readonly m: number;
}

/** ' aT' when a matmul operand is a transpose of its last two dims (read in place, another access pattern). */
function layoutMark(kernel: Graph, id: ValueId | undefined, name: string): string {
  const node: Node | undefined = kernel.nodes.find((n) => n.id === id);
  if (node?.op !== 'transpose') return '';
  const perm = node.attrs.perm;
  const r = perm.length;
  const swapsLast = r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1 && perm.slice(0, r - 2).every((p, i) => p === i);
  return swapsLast ? ` ${name}T` : '';
}

/** The signature of a tunable kernel; undefined when it is not one. */
export function kernelSignature(kernel: Graph): KernelSignature | undefined {
  const c = classifyKernel(kernel);
  if (c.ok && c.cls.kind === 'elementwise') {
    const key = elementwiseSignatureKey(kernel);
    return key === undefined ? undefined : { cls: 'elementwise', key, n: 0, m: 0 };
  }
  if (!c.ok || (c.cls.kind !== 'matmul' && c.cls.kind !== 'conv')) return undefined;
  const anchor = c.cls.anchor;
  const a = typeOf(kernel, elementAt(anchor.operands, 0, 'matmul operands'));
  const b = typeOf(kernel, elementAt(anchor.operands, 1, 'matmul operands'));
  if (a === undefined || b === undefined) return undefined;
  const out = anchor.type;
  if (anchor.op === 'conv') {
    const { stride, padding, lhs_dilation: lhs, rhs_dilation: rhs, groups } = anchor.attrs;
    const attrs = `s${stride.join(',')} p${padding.flat().join(',')} l${lhs.join(',')} r${rhs.join(',')} g${groups}`;
    const cOut = elementAt(b.shape, b.shape.length - 1, 'conv kernel shape');
    const positions = out.shape.slice(0, -1).reduce((p, d) => p * d, 1);
    return { cls: 'conv', key: `conv ${out.dtype} x${shapeClass(a)} w${shapeClass(b)} o${shapeClass(out)} ${attrs}`, n: cOut / groups, m: positions };
  }
  const layout = `${layoutMark(kernel, anchor.operands[0], 'a')}${layoutMark(kernel, anchor.operands[1], 'b')}`;
  const key = `gemm ${out.dtype} a${shapeClass(a)} b${shapeClass(b)} c${shapeClass(out)}${layout}`;
  return {
    cls: 'gemm',
    key,
    n: elementAt(out.shape, out.shape.length - 1, 'matmul result shape (rank >= 2)'),
    m: elementAt(out.shape, out.shape.length - 2, 'matmul result shape (rank >= 2)'),
  };
}

/** The adapter a schedule was measured on: description and kind (driver updates change the description). */
export function adapterIdentity(info: WebGpuDeviceInfo): string {
  return `${info.kind}: ${info.description}`;
}
