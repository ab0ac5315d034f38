// The fuzzer's graph-building context: a pool of typed values to draw operands from, inputs with
// deterministic data in safe domains, and adapters (broadcast, constants, positivity) that make
// any value usable where an op needs a particular type.

import { GraphBuilder, numel, type AttrsOf, type DType, type Graph, type OpKind, type Shape, type TensorType, type ValueId } from '@kiln/ir';
import type { Rng } from './prng.js';

export type FuzzInputs = Record<string, number[]>;

const DIMS = [1, 1, 2, 3, 3, 4, 7];

export interface ShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  readonly allowZero?: boolean;
}

export class GenContext {
  readonly b = new GraphBuilder('fuzz');
  readonly pool: ValueId[] = [];
  readonly data: FuzzInputs = {};
  readonly stateInputs: ValueId[] = [];
  private inputs = 0;
  private kernels = 0;

  /** `special`: the share of f32 input elements drawn from NaN, ±Inf, ±0 and a few exact values (a quarter non-finite). */
  constructor(
    readonly rng: Rng,
    private readonly special = 0.04,
  ) {}

  typeOf(v: ValueId): TensorType {
    return this.b.typeOf(v);
  }

  dim(allowZero = true): number {
    return allowZero && this.rng.chance(0.04) ? 0 : this.rng.pick(DIMS);
  }

  shape(o: ShapeOptions = {}): number[] {
    const rank = this.rng.int(o.minRank ?? 0, o.maxRank ?? 3);
    return Array.from({ length: rank }, () => this.dim(o.allowZero ?? true));
  }

  dtype(choices: readonly DType[] = ['f32', 'f32', 'f32', 'f32', 'i32', 'u32', 'bool']): DType {
    return this.rng.pick(choices);
  }

  /** A new graph input; its data is drawn now. `indexRange` makes it hold indices in [-1, range]. */
  input(type: TensorType, opts: { indexRange?: number; key?: boolean; state?: boolean } = {}): ValueId {
    const name = `x${this.inputs++}`;
    const state = opts.state ?? (opts.indexRange === undefined && opts.key !== true && this.rng.chance(0.15));
    const id = this.b.input(name, type, { state });
    this.data[name] = Array.from({ length: numel(type.shape) }, () => this.element(type.dtype, opts));
    if (state) this.stateInputs.push(id);
    this.pool.push(id);
    return id;
  }

  private element(dtype: DType, opts: { indexRange?: number; key?: boolean }): number {
    const r = this.rng;
    if (opts.key === true) return r.next();
    if (opts.indexRange !== undefined) return r.int(dtype === 'u32' ? 0 : -1, opts.indexRange);
    switch (dtype) {
      case 'f32': {
        const special = r.float();
        if (special < this.special / 4) return r.pick([Infinity, -Infinity, NaN]);
        if (special < this.special) return r.pick([0, -0, 0.5, -1.5, 2.5]);
        return Math.round((r.float() * 4 - 2) * 64) / 64;
      }
      case 'i32':
        return r.int(-5, 5);
      case 'u32':
        return r.int(0, 9);
      case 'bool':
        return r.int(0, 1);
      default: {
        const never: never = dtype;
        return never;
      }
    }
  }

  /** Adds a node (its type inferred; `type` for constant/iota/random_bits/call) to the graph and the pool. */
  node<K extends OpKind>(op: K, operands: readonly ValueId[], attrs: AttrsOf<K>, type?: TensorType): ValueId {
    const v = this.b.add(op, operands, attrs, type !== undefined ? { type } : {});
    this.pool.push(v);
    return v;
  }

  /** A pool value whose type satisfies `pred` (undefined if none). */
  pick(pred: (t: TensorType) => boolean): ValueId | undefined {
    const fits = this.pool.filter((v) => pred(this.typeOf(v)));
    return fits.length > 0 ? this.rng.pick(fits) : undefined;
  }

  /** Usually a fitting pool value, otherwise a new input of type `make()`. */
  value(pred: (t: TensorType) => boolean, make: () => TensorType, reuse = 0.75): ValueId {
    const v = this.rng.chance(reuse) ? this.pick(pred) : undefined;
    return v ?? this.input(make());
  }

  /** A value of exactly type `t`: a pool value, a broadcast of a compatible one, a constant or an input. */
  like(t: TensorType): ValueId {
    const roll = this.rng.float();
    if (roll < 0.35) {
      const v = this.pick((u) => u.dtype === t.dtype && u.shape.join() === t.shape.join());
      if (v !== undefined) return v;
    }
    if (roll < 0.7) {
      const v = this.pick((u) => u.dtype === t.dtype && broadcastDims(u.shape, t.shape) !== undefined && u.shape.join() !== t.shape.join());
      if (v !== undefined) return this.node('broadcast', [v], { dims: broadcastDims(this.typeOf(v).shape, t.shape)!, shape: [...t.shape] });
      if (t.shape.length > 0 && this.rng.chance(0.5)) {
        // A fresh operand with some dims squeezed to 1, broadcast back: exercises size-1 expansion.
        const small = t.shape.map((d) => (this.rng.chance(0.5) ? 1 : d));
        const x = this.input({ dtype: t.dtype, shape: small });
        return this.node('broadcast', [x], { dims: t.shape.map((_, i) => i), shape: [...t.shape] });
      }
    }
    if (roll < 0.8) return this.node('constant', [], { value: this.constantValue(t.dtype) }, t);
    return this.input(t);
  }

  constantValue(dtype: DType): number {
    switch (dtype) {
      case 'f32':
        return this.rng.pick([0, -0, 1, -1, 0.5, 2, 0.25, 3, -2.5]);
      case 'i32':
        return this.rng.int(-3, 3);
      case 'u32':
        return this.rng.int(0, 4);
      case 'bool':
        return this.rng.int(0, 1);
      default: {
        const never: never = dtype;
        return never;
      }
    }
  }

  /** A strictly positive f32 value computed from `v` (operands of log, sqrt, rsqrt, pow). */
  positive(v: ValueId): ValueId {
    const t = this.typeOf(v);
    if (this.rng.chance(0.5)) return this.node('exp', [this.node('tanh', [v], {})], {});
    const half = this.node('constant', [], { value: 0.5 }, t);
    return this.node('add', [this.node('abs', [v], {}), half], {});
  }

  /** Registers a kernel for a `call` node and returns its name. */
  kernel(build: (name: string) => Graph): string {
    const name = `k${this.kernels++}`;
    this.b.addKernel(build(name));
    return name;
  }
}

/** Numpy-style trailing alignment of `from` into `to` as broadcast dims, if compatible. */
export function broadcastDims(from: Shape, to: Shape): number[] | undefined {
  if (from.length > to.length) return undefined;
  const off = to.length - from.length;
  const dims = from.map((_, i) => i + off);
  return from.every((d, i) => d === to[i + off] || d === 1) ? dims : undefined;
}

export const isF32 = (t: TensorType): boolean => t.dtype === 'f32';
export const isNumeric = (t: TensorType): boolean => t.dtype !== 'bool';
export const isLogical = (t: TensorType): boolean => t.dtype !== 'f32';
export const anyType = (): boolean => true;
