// Frontend: parameter initializers. An Initializer is plain data stored in ParamSpec.init; the
// values are made on the host by `initialize(spec, seed)`, deterministically from the seed and the
// parameter's name (adding a parameter never changes the values of the others).

/**
 * Parameter initializers (Glorot, He, normal, uniform, constants) as plain data.
 * @module
 */

import { KilnError, SplitMix32, elementAt, expectLengths, fnv1a32, formatType, mix32, numel, type Shape, type TensorType } from '@kiln/ir';

/** Fan-in/fan-out override for the variance-scaling initializers. */
export interface Fans {
  readonly fanIn: number;
  readonly fanOut: number;
}

export type Initializer =
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'values'; readonly values: readonly number[] }
  | { readonly kind: 'normal'; readonly mean: number; readonly std: number }
  | { readonly kind: 'uniform'; readonly low: number; readonly high: number }
  | { readonly kind: 'glorotUniform'; readonly fans?: Fans }
  | { readonly kind: 'glorotNormal'; readonly fans?: Fans }
  | { readonly kind: 'heNormal'; readonly fans?: Fans }
  | { readonly kind: 'heUniform'; readonly fans?: Fans }
  /** A u32[2] random key: a seed-derived first word and a zero counter (see `randomKey`). */
  | { readonly kind: 'randomKey' };

export const zeros = (): Initializer => ({ kind: 'zeros' });
export const ones = (): Initializer => ({ kind: 'ones' });
export const constant = (value: number): Initializer => ({ kind: 'constant', value });
export const values = (vs: ArrayLike<number>): Initializer => ({ kind: 'values', values: Array.from(vs) });
export const normal = (std = 1, mean = 0): Initializer => ({ kind: 'normal', mean, std });
export const uniform = (low = -1, high = 1): Initializer => ({ kind: 'uniform', low, high });
export const glorotUniform = (fans?: Fans): Initializer => (fans === undefined ? { kind: 'glorotUniform' } : { kind: 'glorotUniform', fans });
export const glorotNormal = (fans?: Fans): Initializer => (fans === undefined ? { kind: 'glorotNormal' } : { kind: 'glorotNormal', fans });
export const heNormal = (fans?: Fans): Initializer => (fans === undefined ? { kind: 'heNormal' } : { kind: 'heNormal', fans });
export const heUniform = (fans?: Fans): Initializer => (fans === undefined ? { kind: 'heUniform' } : { kind: 'heUniform', fans });
export const randomKeyInit = (): Initializer => ({ kind: 'randomKey' });

/** What `initialize` needs to know about a parameter. */
export interface InitTarget {
  readonly name: string;
  readonly type: TensorType;
  readonly init: Initializer;
}

export type InitArray = Float32Array | Int32Array | Uint32Array | Uint8Array;

/**
 * Fans as Keras/JAX compute them: a matrix [in, out]; a conv kernel [*window, in, out] scales both
 * by the window size; vectors and scalars use their length for both.
 */
export function fansOf(shape: Shape): Fans {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  const rank = shape.length;
  if (rank === 1) return { fanIn: elementAt(shape, 0, 'vector shape'), fanOut: elementAt(shape, 0, 'vector shape') };
  const receptive = numel(shape.slice(0, -2));
  return { fanIn: elementAt(shape, rank - 2, 'parameter shape') * receptive, fanOut: elementAt(shape, rank - 1, 'parameter shape') * receptive };
}

// The initializers' generator is @kiln/ir's SplitMix32 (Math.random is never used, so runs are
// reproducible), exported under its historical name.
export { SplitMix32 as SeededRandom } from '@kiln/ir';

/** FNV-1a over the UTF-16 code units, then mixed: a stable 32-bit hash of a parameter name. */
export function hashString(s: string): number {
  return mix32(fnv1a32(s));
}

function streamFor(target: InitTarget, seed: number): SplitMix32 {
  return new SplitMix32(mix32((hashString(target.name) ^ mix32(seed >>> 0)) >>> 0));
}

function fill(n: number, f: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f();
  return out;
}

function realValues(target: InitTarget, seed: number): ArrayLike<number> {
  const n = numel(target.type.shape);
  const init = target.init;
  const rng = (): SplitMix32 => streamFor(target, seed);
  const fans = (f: Fans | undefined): Fans => f ?? fansOf(target.type.shape);
  switch (init.kind) {
    case 'zeros':
      return new Float64Array(n);
    case 'ones':
      return new Float64Array(n).fill(1);
    case 'constant':
      return new Float64Array(n).fill(init.value);
    case 'values':
      if (init.values.length !== n)
        throw new KilnError({ message: `initializer for %${target.name} has ${init.values.length} values, ${formatType(target.type)} needs ${n}`, value: `%${target.name}` });
      return init.values;
    case 'normal': {
      const r = rng();
      return fill(n, () => init.mean + init.std * r.normal());
    }
    case 'uniform': {
      const r = rng();
      return fill(n, () => init.low + (init.high - init.low) * r.next());
    }
    case 'glorotUniform': {
      const { fanIn, fanOut } = fans(init.fans);
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const r = rng();
      return fill(n, () => limit * (2 * r.next() - 1));
    }
    case 'glorotNormal': {
      const { fanIn, fanOut } = fans(init.fans);
      const std = Math.sqrt(2 / (fanIn + fanOut));
      const r = rng();
      return fill(n, () => std * r.normal());
    }
    case 'heNormal': {
      const std = Math.sqrt(2 / fans(init.fans).fanIn);
      const r = rng();
      return fill(n, () => std * r.normal());
    }
    case 'heUniform': {
      const limit = Math.sqrt(6 / fans(init.fans).fanIn);
      const r = rng();
      return fill(n, () => limit * (2 * r.next() - 1));
    }
    case 'randomKey': {
      if (target.type.dtype !== 'u32' || n !== 2)
        throw new KilnError({ message: `randomKey initializer needs u32[2], %${target.name} is ${formatType(target.type)}`, value: `%${target.name}` });
      return [rng().nextU32(), 0];
    }
    default: {
      const never: never = init;
      return never;
    }
  }
}

/**
 * The initial value of a parameter: Float32Array for f32, Int32Array/Uint32Array for i32/u32,
 * Uint8Array (0/1) for bool. Deterministic in (seed, name, init, type).
 */
export function initialize(target: InitTarget, seed = 0): InitArray {
  const vs = realValues(target, seed);
  const n = numel(target.type.shape);
  // realValues makes (or, for 'values', checks) exactly n values.
  expectLengths(n, `initializer of %${target.name}`, { values: vs });
  switch (target.type.dtype) {
    case 'f32':
      return Float32Array.from({ length: n }, (_, i) => vs[i]!);
    case 'i32':
      return Int32Array.from({ length: n }, (_, i) => Math.trunc(vs[i]!));
    case 'u32':
      return Uint32Array.from({ length: n }, (_, i) => Math.trunc(vs[i]!));
    case 'bool':
      return Uint8Array.from({ length: n }, (_, i) => (vs[i]! !== 0 ? 1 : 0));
    default: {
      const never: never = target.type.dtype;
      return never;
    }
  }
}
