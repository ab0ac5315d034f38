// The pass contract shared by every rewrite in this package and by the pass manager (pipeline.ts):
// a pass is a pure function of its input graph, returning a new graph plus counters for reports.

import type { Graph } from '@kiln/ir';

/** Adapter limits that fusion must respect (WebGPU names; defaults are WebGPU's guaranteed minimums). */
export interface DeviceLimits {
  /** Storage buffers one kernel may bind: its inputs plus its one output. */
  readonly maxStorageBuffersPerKernel: number;
  /** Workgroup (shared) memory one kernel may use, in bytes. */
  readonly maxWorkgroupStorageBytes: number;
}

export const DEFAULT_DEVICE_LIMITS: DeviceLimits = {
  maxStorageBuffersPerKernel: 8,
  maxWorkgroupStorageBytes: 16384,
};

export interface PassOptions {
  readonly deviceLimits?: Partial<DeviceLimits>;
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

export function resolveLimits(options: PassOptions): DeviceLimits {
  return { ...DEFAULT_DEVICE_LIMITS, ...(options.deviceLimits ?? {}) };
}
