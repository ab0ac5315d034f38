// What codegen hands the runtime for one fused kernel: WGSL text, its entry point, the binding
// plan (kernel input → binding, output, constant pool), workgroup size and dispatch grid.

import type { KernelClass } from '@kiln/ir';
import type { Grid } from './dispatch.js';

export type BindingRole = 'input' | 'output' | 'constants';

export interface KernelBinding {
  readonly binding: number;
  readonly role: BindingRole;
  /** Kernel input number (role 'input'). */
  readonly input?: number;
  /** WGSL variable name. */
  readonly name: string;
  readonly access: 'read' | 'read_write';
  /** WGSL element type of the runtime-sized array: f32, i32, u32, vec4<f32>, atomic<u32>, atomic<i32>. */
  readonly element: string;
}

export interface BindingPlan {
  /** Kernel input k → its binding number, or -1 when the kernel never reads input k (bind nothing). */
  readonly inputs: readonly number[];
  readonly output: number;
  /** Binding of the constant pool (array<u32>), when the kernel has large constants. */
  readonly constants?: number;
  /** Every binding in binding order (all in @group(0)). */
  readonly all: readonly KernelBinding[];
}

export interface GeneratedKernel {
  readonly name: string;
  readonly wgsl: string;
  readonly entryPoint: string;
  readonly kernelClass: KernelClass['kind'];
  /** Template and variant, e.g. 'matmul-tiled64', 'reduction-tree', 'row', 'elementwise'. */
  readonly template: string;
  readonly bindings: BindingPlan;
  /** Contents of the constant pool binding (u32 words), uploaded once by the runtime. */
  readonly constants?: Uint32Array;
  readonly workgroupSize: readonly [number, 1, 1];
  /** Workgroup counts [x, y, z], each at most maxComputeWorkgroupsPerDimension. */
  readonly workgroups: Grid;
  /** The dispatchWorkgroups arguments (shapes are static, so this is `workgroups`). */
  dispatch(): Grid;
  /** The output must be zero-filled before the dispatch (scatter_add accumulates atomically). */
  readonly zeroOutput: boolean;
  /** Hash of the shader text without comments: kernels with equal hashes can share a pipeline. */
  readonly hash: string;
}
