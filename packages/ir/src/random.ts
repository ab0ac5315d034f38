// The one home of Kiln's pseudo-random generators. In-graph: counter-based bits (bits(key, i) depends
// only on the u32 key pair and the row-major index; WGSL emits the same u32 arithmetic, so CPU and GPU
// agree). Host-side seeded streams (initializers, data, tests, examples) live in host-random.ts.

/** A 32-bit avalanche mixer (lowbias32). */
export function mix32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return x;
}

/** The per-stream seed derived from the key once per kernel. */
export function randomStreamSeed(k0: number, k1: number): number {
  return mix32((k0 ^ mix32((k1 ^ 0x6a09e667) >>> 0)) >>> 0);
}

export function randomBitsAt(seed: number, k1: number, index: number): number {
  return mix32((mix32((index ^ seed) >>> 0) + k1) >>> 0);
}

/** u32 bits to a uniform f32 in [0, 1): the top 24 bits scaled by 2^-24 (exact in f32). */
export function bitsToUniform(bits: number): number {
  return (bits >>> 8) * 5.9604644775390625e-8;
}
