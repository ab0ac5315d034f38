// The pass contract shared by every rewrite in this package and by the pass manager (pipeline.ts):
// a pass is a pure function of its input graph, returning a new graph plus counters for reports.

import { CORE_DEFAULT_LIMITS, type DeviceLimits, type Graph } from '@kiln/ir';

/**
 * The device limits fusion respects: ir's DeviceLimits narrowed to the two a cone's legality
 * depends on (its storage bindings: inputs plus the one output; its workgroup memory in bytes).
 */
export type FusionLimits = Pick<DeviceLimits, 'maxStorageBuffersPerShaderStage' | 'maxComputeWorkgroupStorageSize'>;

/** What fusion assumes when told nothing: WebGPU's core defaults. */
export const DEFAULT_FUSION_LIMITS: FusionLimits = {
  maxStorageBuffersPerShaderStage: CORE_DEFAULT_LIMITS.maxStorageBuffersPerShaderStage,
  maxComputeWorkgroupStorageSize: CORE_DEFAULT_LIMITS.maxComputeWorkgroupStorageSize,
};

export interface PassOptions {
  /** Limits of the device the kernels are fused for (a device's own `limits` will do); default core. */
  readonly deviceLimits?: Partial<FusionLimits>;
  /** fold-constants: largest result (in elements) folded into a non-splat constant; default 4096. */
  readonly foldSizeLimit?: number;
  /** fuse: most elementwise ops recomputed in each kernel instead of materializing a shared value; default 4. */
  readonly maxRecomputeOps?: number;
  /** simplify: only bit-exact rewrites (turns off log(exp x) → x); default false. */
  readonly strictFloat?: boolean;
}

export interface PassResult {
  readonly graph: Graph;
  /** False when the output is equivalent to the input (the pass found nothing to do). */
  readonly changed: boolean;
  readonly stats: Readonly<Record<string, number>>;
}

export interface Pass {
  readonly name: string;
  /** One line for `--help` style listings. */
  readonly description: string;
  /** Must not mutate `graph`: graphs are shared, immutable data. */
  run(graph: Graph, options: PassOptions): PassResult;
}

export function resolveLimits(options: PassOptions): FusionLimits {
  const given = options.deviceLimits ?? {};
  return {
    maxStorageBuffersPerShaderStage: given.maxStorageBuffersPerShaderStage ?? DEFAULT_FUSION_LIMITS.maxStorageBuffersPerShaderStage,
    maxComputeWorkgroupStorageSize: given.maxComputeWorkgroupStorageSize ?? DEFAULT_FUSION_LIMITS.maxComputeWorkgroupStorageSize,
  };
}
