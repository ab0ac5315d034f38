// Layers: sinusoidal positional encodings (Vaswani et al.): PE[pos, 2i] = sin(pos / 10000^(2i/d)),
// PE[pos, 2i+1] = cos(pos / 10000^(2i/d)). Computed on the host, embedded as a graph constant.

import { KilnError } from '@kiln/ir';
import type { Tensor } from '../tensor.js';
import { currentTrace } from '../trace-context.js';

/** The [length, dim] table, row-major, in f64 then rounded to f32. */
export function sinusoidalTable(length: number, dim: number, base = 10000): Float32Array {
  if (!Number.isInteger(length) || length < 1 || !Number.isInteger(dim) || dim < 1)
    throw new KilnError({ message: `positional encoding needs positive integer length and dim, got ${length} and ${dim}` });
  const out = new Float32Array(length * dim);
  for (let pos = 0; pos < length; pos++)
    for (let j = 0; j < dim; j++) {
      const angle = pos / base ** ((2 * Math.floor(j / 2)) / dim);
      out[pos * dim + j] = j % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
    }
  return out;
}

/** The table as an f32[length, dim] constant of the current trace (add it to [B, length, dim] embeddings). */
export function sinusoidalPositionalEncoding(length: number, dim: number, base = 10000): Tensor {
  const ctx = currentTrace('k.layers.sinusoidalPositionalEncoding');
  return ctx.atCaller(() => ctx.constant(Array.from(sinusoidalTable(length, dim, base)), { dtype: 'f32', shape: [length, dim] }));
}
