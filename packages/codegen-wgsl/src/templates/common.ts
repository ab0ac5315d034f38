// Pieces shared by the kernel templates: what a template returns, the output store, the
// reduction combiners (sum/max/min per dtype) and the workgroup-shared tree reduction.

import type { DType, ReduceKind } from '@kiln/ir';
import type { Grid } from '../dispatch.js';
import { OUTPUT_BUFFER, type KernelEmitter } from '../kernel-emitter.js';
import { literal, toStorage } from '../wgsl-types.js';

export interface TemplateResult {
  /** Template and variant, e.g. 'matmul-tiled64' (shown in the provenance comment). */
  readonly template: string;
  readonly workgroupSize: number;
  readonly grid: Grid;
  /** Module-scope declarations (private and workgroup variables). */
  readonly declarations: readonly string[];
  /** Template functions other than the value functions. */
  readonly functions: readonly string[];
  /** The `@compute` entry point, named `main`. */
  readonly main: string;
  /** The output is declared array<atomic<…>> and must be zero-filled before the dispatch. */
  readonly atomicOutput?: boolean;
  /** The output is declared array<vec4<f32>> (vec4 elementwise kernels store four elements at once). */
  readonly vec4Output?: boolean;
}

export const ENTRY_POINT = 'main';

export const MAIN_PARAMS = '@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32';

/** Statement storing the kernel output's value at flat index `idx`. */
export function storeOutput(em: KernelEmitter, idx: string): string {
  const out = em.kernel.outputs[0]!.value;
  return `${OUTPUT_BUFFER}[${idx}] = ${toStorage(em.typeOf(out).dtype, em.value(out, idx))};`;
}

export type { ReduceKind } from '@kiln/ir';

export interface Reducer {
  readonly identity: string;
  readonly combine: (acc: string, x: string) => string;
}

export function reducer(kind: ReduceKind, dtype: DType): Reducer {
  switch (kind) {
    case 'sum':
      return { identity: literal(dtype, 0), combine: (a, x) => `(${a} + ${x})` };
    case 'max':
      return {
        identity: dtype === 'f32' ? literal('f32', -Infinity) : dtype === 'i32' ? literal('i32', -2147483648) : '0u',
        combine: (a, x) => (dtype === 'f32' ? `kiln_max_f32(${a}, ${x})` : `max(${a}, ${x})`),
      };
    case 'min':
      return {
        identity: dtype === 'f32' ? literal('f32', Infinity) : dtype === 'i32' ? literal('i32', 2147483647) : '4294967295u',
        combine: (a, x) => (dtype === 'f32' ? `kiln_min_f32(${a}, ${x})` : `min(${a}, ${x})`),
      };
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Tree reduction of `sh[0..size)` into sh[0] (size a power of two); every thread must reach it. */
export function treeReduce(sh: string, size: number, combine: (a: string, b: string) => string, indent = '  '): string {
  const lines = [`${indent}workgroupBarrier();`];
  for (let s = size / 2; s >= 1; s /= 2) {
    lines.push(`${indent}if (lid < ${s}u) { ${sh}[lid] = ${combine(`${sh}[lid]`, `${sh}[lid + ${s}u]`)}; }`);
    lines.push(`${indent}workgroupBarrier();`);
  }
  return lines.join('\n');
}

/** The WGSL subgroup builtin for a reduction, where it is exact: integer sums/max/min and f32 sums
 * (f32 max/min must propagate NaN, which subgroupMax/Min leave unspecified). */
function subgroupOp(kind: ReduceKind, dtype: DType): string | undefined {
  if (dtype === 'bool') return undefined;
  if (kind === 'sum') return 'subgroupAdd';
  if (dtype === 'f32') return undefined;
  return kind === 'max' ? 'subgroupMax' : 'subgroupMin';
}

/**
 * Reduces every invocation's `acc` into `sh[0]` (sh has `size` slots, size a power of two; every
 * invocation must reach it). With subgroups: one subgroup operation, one slot per subgroup, and
 * invocation 0 combines the few partials — two barriers instead of log2(size)+1. Otherwise the
 * shared-memory tree.
 */
export function workgroupReduce(em: KernelEmitter, sh: string, acc: string, size: number, kind: ReduceKind, dtype: DType, indent = '  '): string {
  const r = reducer(kind, dtype);
  const op = em.subgroups ? subgroupOp(kind, dtype) : undefined;
  if (op === undefined) return `${indent}${sh}[lid] = ${acc};\n${treeReduce(sh, size, r.combine, indent)}`;
  em.usesSubgroups = true;
  return [
    `${indent}let ${sh}_part = ${op}(${acc});`,
    `${indent}if (subgroupElect()) { ${sh}[sgid] = ${sh}_part; }`,
    `${indent}workgroupBarrier();`,
    `${indent}if (lid == 0u) {`,
    `${indent}  var total = ${sh}[0];`,
    `${indent}  for (var s = 1u; s < nsg; s = s + 1u) { total = ${r.combine('total', `${sh}[s]`)}; }`,
    `${indent}  ${sh}[0] = total;`,
    `${indent}}`,
    `${indent}workgroupBarrier();`,
  ].join('\n');
}

/** Extra entry-point parameters of kernels that use subgroup operations. */
export const SUBGROUP_PARAMS = '@builtin(subgroup_id) sgid: u32, @builtin(num_subgroups) nsg: u32';
