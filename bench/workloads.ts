// Benchmarks: the workloads W1–W5 with their sizes per size class and the
// work each op does (FLOPs or bytes moved), so every library's time converts to the same metric.

export const WORKLOAD_IDS = ['W1', 'W2', 'W3', 'W4', 'W5'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];
/** Kiln-only sections: compile time (trace → WGSL) and peak memory per training step. */
export const SECTION_IDS = ['compile', 'memory'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** quick: seconds per library; small: the software adapter's sizes; full: the H100 sizes. */
export type SizeClass = 'quick' | 'small' | 'full';

export type Metric = 'GFLOP/s' | 'GB/s' | 'ms/step';

export type Workload =
  | { readonly id: 'W1'; readonly n: number }
  | { readonly id: 'W2'; readonly elems: number }
  | { readonly id: 'W3'; readonly rows: number; readonly cols: number }
  | { readonly id: 'W4'; readonly batch: number; readonly hidden: number; readonly lr: number }
  | { readonly id: 'W5'; readonly n: number; readonly hw: number; readonly cin: number; readonly cout: number; readonly k: number };

export const MLP_IN = 784;
export const MLP_CLASSES = 10;

export function workloadsFor(size: SizeClass): Workload[] {
  switch (size) {
    case 'quick':
      return [
        { id: 'W1', n: 256 },
        { id: 'W2', elems: 1 << 18 },
        { id: 'W3', rows: 256, cols: 1024 },
        { id: 'W4', batch: 64, hidden: 256, lr: 0.01 },
        { id: 'W5', n: 4, hw: 16, cin: 32, cout: 32, k: 3 },
      ];
    case 'small':
      return [
        { id: 'W1', n: 256 },
        { id: 'W1', n: 512 },
        { id: 'W2', elems: 1 << 20 },
        { id: 'W3', rows: 1024, cols: 1024 },
        { id: 'W4', batch: 64, hidden: 1024, lr: 0.01 },
        { id: 'W5', n: 4, hw: 32, cin: 32, cout: 32, k: 3 },
      ];
    case 'full':
      return [
        { id: 'W1', n: 1024 },
        { id: 'W1', n: 2048 },
        { id: 'W1', n: 4096 },
        { id: 'W2', elems: 1 << 24 },
        { id: 'W3', rows: 4096, cols: 4096 },
        { id: 'W4', batch: 512, hidden: 1024, lr: 0.01 },
        { id: 'W5', n: 32, hw: 64, cin: 64, cout: 64, k: 3 },
      ];
    default: {
      const never: never = size;
      return never;
    }
  }
}

/** A short label of the sizes, e.g. "N=1024" or "4096x4096". */
export function caseLabel(w: Workload): string {
  switch (w.id) {
    case 'W1':
      return `N=${w.n}`;
    case 'W2':
      return `${w.elems} elems`;
    case 'W3':
      return `${w.rows}x${w.cols}`;
    case 'W4':
      return `784-${w.hidden}-${w.hidden}-10 b${w.batch}`;
    case 'W5':
      return `${w.n}x${w.hw}x${w.hw}x${w.cin} k${w.k} o${w.cout}`;
    default: {
      const never: never = w;
      return never;
    }
  }
}

export function describeWorkload(id: WorkloadId): string {
  switch (id) {
    case 'W1':
      return 'matmul NxN @ NxN';
    case 'W2':
      return 'y = tanh(1.5x+0.5)*sigmoid(x)';
    case 'W3':
      return 'row softmax';
    case 'W4':
      return 'MLP train step (SGD, softmax CE)';
    case 'W5':
      return 'conv2d NHWC 3x3 same';
    default: {
      const never: never = id;
      return never;
    }
  }
}

export function metricOf(id: WorkloadId): Metric {
  switch (id) {
    case 'W1':
    case 'W5':
      return 'GFLOP/s';
    case 'W2':
    case 'W3':
      return 'GB/s';
    case 'W4':
      return 'ms/step';
    default: {
      const never: never = id;
      return never;
    }
  }
}

/** Floating-point operations of one matmul-like op (multiply-add = 2). */
export function flops(w: Workload): number {
  switch (w.id) {
    case 'W1':
      return 2 * w.n ** 3;
    case 'W5':
      return 2 * w.n * w.hw * w.hw * w.cout * w.k * w.k * w.cin;
    case 'W4': {
      // Forward matmuls; the backward pass does two more of each (input and weight gradients).
      const fwd = 2 * w.batch * (MLP_IN * w.hidden + w.hidden * w.hidden + w.hidden * MLP_CLASSES);
      return 3 * fwd;
    }
    case 'W2':
    case 'W3':
      return 0;
    default: {
      const never: never = w;
      return never;
    }
  }
}

/** Minimal bytes an op must move: read the input once, write the output once (f32). */
export function bytesMoved(w: Workload): number {
  switch (w.id) {
    case 'W2':
      return 8 * w.elems;
    case 'W3':
      return 8 * w.rows * w.cols;
    case 'W1':
    case 'W4':
    case 'W5':
      return 0;
    default: {
      const never: never = w;
      return never;
    }
  }
}

/** The workload's metric for one op taking `ms` milliseconds. */
export function metricValue(w: Workload, ms: number): number {
  const metric = metricOf(w.id);
  switch (metric) {
    case 'GFLOP/s':
      return flops(w) / (ms * 1e6);
    case 'GB/s':
      return bytesMoved(w) / (ms * 1e6);
    case 'ms/step':
      return ms;
    default: {
      const never: never = metric;
      return never;
    }
  }
}

/** Larger is better for throughput metrics, smaller for times. */
export function higherIsBetter(metric: Metric): boolean {
  return metric !== 'ms/step';
}

/** A deterministic pseudo-random fill in [-1, 1) (the same data for every library). */
export function fillRandom(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

/** Class labels 0..classes-1 for a batch (deterministic). */
export function fillLabels(n: number, classes: number, seed: number): Int32Array {
  const r = fillRandom(n, seed);
  return Int32Array.from(r, (v) => Math.min(classes - 1, Math.floor(((v + 1) / 2) * classes)));
}
