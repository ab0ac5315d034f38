// Frontend: normalisation and encoding composites — layerNorm (optional gain/bias) and oneHot.

import type { DType } from '@kiln/ir';
import { normalizeAxes, type Axes } from './axes.js';
import { add, cast, eq, mul, rsqrt, sub } from './elementwise.js';
import { expandDims } from './layout.js';
import { mean, variance } from './reduce.js';
import type { Tensor } from './tensor.js';

export interface LayerNormOptions {
  /** Multiplies the normalised value (broadcast against it, usually shape [features]). */
  readonly gain?: Tensor;
  readonly bias?: Tensor;
  readonly eps?: number;
  /** Axes normalised over (default: the last). */
  readonly axes?: Axes;
}

/** (x - mean) / sqrt(var + eps) over `axes`, then · gain + bias. */
export function layerNorm(x: Tensor, opts: LayerNormOptions = {}): Tensor {
  return x.trace.atCaller(() => {
    const ax = normalizeAxes(x, 'layerNorm', opts.axes ?? -1);
    const centered = sub(x, mean(x, ax, true));
    let y = mul(centered, rsqrt(add(variance(x, ax, true), opts.eps ?? 1e-5)));
    if (opts.gain !== undefined) y = mul(y, opts.gain);
    if (opts.bias !== undefined) y = add(y, opts.bias);
    return y;
  });
}

/** A trailing axis of size `depth` holding 1 at each index and 0 elsewhere (out-of-range indices give all zeros). */
export function oneHot(indices: Tensor, depth: number, dtype: DType = 'f32'): Tensor {
  const ctx = indices.trace;
  if (indices.dtype !== 'i32' && indices.dtype !== 'u32') throw ctx.error('oneHot', `indices must be i32 or u32, got ${indices.dtype}`, [indices]);
  ctx.requireIndexRange(indices, depth, 'oneHot', 'index');
  return ctx.atCaller(() => {
    const shape = [...indices.shape, depth];
    const positions = ctx.emit('iota', [], { dim: shape.length - 1 }, { dtype: indices.dtype, shape });
    return cast(eq(expandDims(indices, -1), positions), dtype);
  });
}
