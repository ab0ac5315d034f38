// Benchmarks: the same input data for every library, and spot checks of each library's output at a
// few positions against values computed here on the CPU, so no library is timed computing garbage.

import { MLP_CLASSES, MLP_IN, fillLabels, fillRandom, type Workload } from './workloads.js';

export type Inputs =
  | { readonly id: 'W1'; readonly a: Float32Array; readonly b: Float32Array }
  | { readonly id: 'W2' | 'W3'; readonly x: Float32Array }
  | { readonly id: 'W4'; readonly x: Float32Array; readonly labels: Int32Array; readonly oneHot: Float32Array }
  | { readonly id: 'W5'; readonly x: Float32Array; readonly w: Float32Array };

export function inputsFor(w: Workload): Inputs {
  switch (w.id) {
    case 'W1':
      return { id: 'W1', a: fillRandom(w.n * w.n, 1), b: fillRandom(w.n * w.n, 2) };
    case 'W2':
      return { id: 'W2', x: fillRandom(w.elems, 3) };
    case 'W3':
      return { id: 'W3', x: fillRandom(w.rows * w.cols, 4) };
    case 'W4': {
      const labels = fillLabels(w.batch, MLP_CLASSES, 6);
      const oneHot = new Float32Array(w.batch * MLP_CLASSES);
      labels.forEach((c, i) => (oneHot[i * MLP_CLASSES + c] = 1));
      return { id: 'W4', x: fillRandom(w.batch * MLP_IN, 5), labels, oneHot };
    }
    case 'W5':
      return { id: 'W5', x: fillRandom(w.n * w.hw * w.hw * w.cin, 7), w: fillRandom(w.k * w.k * w.cin * w.cout, 8).map((v) => v * 0.1) };
    default: {
      const never: never = w;
      return never;
    }
  }
}

/** Glorot-uniform weights [fanIn, fanOut] and zero biases for the W4 MLP (peers; Kiln inits its own). */
export function mlpParams(hidden: number): { readonly shapes: readonly (readonly number[])[]; readonly values: readonly Float32Array[] } {
  const dims = [MLP_IN, hidden, hidden, MLP_CLASSES];
  const shapes: number[][] = [];
  const values: Float32Array[] = [];
  for (let l = 0; l < 3; l++) {
    const fanIn = dims[l]!;
    const fanOut = dims[l + 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    shapes.push([fanIn, fanOut], [fanOut]);
    values.push(
      fillRandom(fanIn * fanOut, 10 + l).map((v) => v * limit),
      new Float32Array(fanOut),
    );
  }
  return { shapes, values };
}

interface Probe {
  readonly index: number;
  readonly expected: number;
  readonly tol: number;
}

/** About `count` flat indices spread over [0, size), first and last included. */
function spread(size: number, count: number): number[] {
  const out = new Set<number>([0, size - 1]);
  for (let i = 1; i < count - 1; i++) out.add(Math.floor((size * i) / (count - 1)) + (i % 3));
  return [...out].filter((i) => i >= 0 && i < size);
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

function probes(w: Workload, inp: Inputs): Probe[] {
  if (w.id === 'W1' && inp.id === 'W1') {
    return spread(w.n * w.n, 8).map((index) => {
      const i = Math.floor(index / w.n);
      const j = index % w.n;
      let s = 0;
      for (let p = 0; p < w.n; p++) s += inp.a[i * w.n + p]! * inp.b[p * w.n + j]!;
      return { index, expected: s, tol: 1e-3 * Math.sqrt(w.n) };
    });
  }
  if (w.id === 'W2' && inp.id === 'W2') {
    return spread(w.elems, 16).map((index) => {
      const x = inp.x[index]!;
      return { index, expected: Math.tanh(1.5 * x + 0.5) * sigmoid(x), tol: 1e-5 };
    });
  }
  if (w.id === 'W3' && inp.id === 'W3') {
    const out: Probe[] = [];
    for (const r of [0, w.rows - 1]) {
      const row = inp.x.subarray(r * w.cols, (r + 1) * w.cols);
      const m = Math.max(...row);
      let sum = 0;
      for (const v of row) sum += Math.exp(v - m);
      for (const c of [0, 1, w.cols - 1]) out.push({ index: r * w.cols + c, expected: Math.exp(row[c]! - m) / sum, tol: 1e-6 });
    }
    return out;
  }
  if (w.id === 'W5' && inp.id === 'W5') {
    const pad = Math.floor((w.k - 1) / 2);
    return spread(w.n * w.hw * w.hw * w.cout, 8).map((index) => {
      const o = index % w.cout;
      const px = Math.floor(index / w.cout) % w.hw;
      const py = Math.floor(index / (w.cout * w.hw)) % w.hw;
      const b = Math.floor(index / (w.cout * w.hw * w.hw));
      let s = 0;
      for (let ky = 0; ky < w.k; ky++)
        for (let kx = 0; kx < w.k; kx++) {
          const y = py + ky - pad;
          const x = px + kx - pad;
          if (y < 0 || y >= w.hw || x < 0 || x >= w.hw) continue;
          for (let c = 0; c < w.cin; c++) s += inp.x[((b * w.hw + y) * w.hw + x) * w.cin + c]! * inp.w[((ky * w.k + kx) * w.cin + c) * w.cout + o]!;
        }
      return { index, expected: s, tol: 1e-4 * Math.sqrt(w.k * w.k * w.cin) };
    });
  }
  return [];
}

/**
 * Throws when `output` (row-major, the workload's natural layout: NHWC for W5 unless `layout`
 * maps the index) differs from the CPU value at any probed position.
 */
export function spotCheck(w: Workload, inp: Inputs, output: ArrayLike<number>, layout: (index: number) => number = (i) => i): void {
  for (const p of probes(w, inp)) {
    const got = output[layout(p.index)];
    if (got === undefined || !(Math.abs(got - p.expected) <= p.tol + 1e-3 * Math.abs(p.expected)))
      throw new Error(`wrong result: element ${p.index} is ${got}, expected ${p.expected.toPrecision(6)} (±${p.tol.toPrecision(2)})`);
  }
}

/** Index into an NCHW array of the element at NHWC flat index `i` (jax-js convolutions are NCHW). */
export function nhwcToNchw(w: Extract<Workload, { id: 'W5' }>): (i: number) => number {
  return (i) => {
    const c = i % w.cout;
    const x = Math.floor(i / w.cout) % w.hw;
    const y = Math.floor(i / (w.cout * w.hw)) % w.hw;
    const b = Math.floor(i / (w.cout * w.hw * w.hw));
    return ((b * w.cout + c) * w.hw + y) * w.hw + x;
  };
}
