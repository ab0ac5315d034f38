// Frontend: host tensors — the values users pass to and get back from jitted functions:
// `k.tensor(data, shape?, dtype?)` checks the data against its dtype and shape up front, and
// results carry their shape and dtype with `item()` and nested `toArray()`.

import { KilnError, formatShape, formatType, numel, type DType, type Shape, type TensorType } from '@kiln/ir';
import { allocateArray, type HostArray, type HostTensor as RuntimeHostTensor } from '@kiln/runtime';

/** Nested arrays of numbers (or booleans), as `toArray()` returns them and `k.tensor` accepts them. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** What a jitted function accepts for one input: a host tensor, a number (an f32 scalar) or nested arrays (f32). */
export type TensorInput = HostTensor | number | boolean | readonly NestedArray[];

/** Nested plain arrays of the elements, for a tensor of any rank (a number for rank 0). */
export type NestedNumbers = number | NestedNumbers[];

/** A tensor on the host: what jitted functions take (`k.tensor(...)`) and return; `shape`, `dtype`, row-major `data`, `item()`, `toArray()`. */
export class HostTensor implements RuntimeHostTensor {
  readonly type: TensorType;
  readonly data: HostArray;

  /** Wraps `data` (row-major, of the array kind `dtype` uses) without copying or checking: use `k.tensor`. */
  constructor(type: TensorType, data: HostArray) {
    this.type = { dtype: type.dtype, shape: [...type.shape] };
    this.data = data;
  }

  get shape(): Shape {
    return this.type.shape;
  }
  get dtype(): DType {
    return this.type.dtype;
  }
  get rank(): number {
    return this.type.shape.length;
  }
  get size(): number {
    return this.data.length;
  }

  /** The only element of a one-element tensor, as a number. */
  item(): number {
    if (this.data.length !== 1) throw new KilnError({ message: `item() needs a tensor with one element, this is ${formatType(this.type)}` });
    return this.data[0]!;
  }

  /** The elements as nested arrays shaped like the tensor (a number for rank 0). */
  toArray(): NestedNumbers {
    const shape = this.type.shape;
    if (shape.length === 0) return this.item();
    const build = (dim: number, offset: number): NestedNumbers[] => {
      const n = shape[dim]!;
      const stride = numel(shape.slice(dim + 1));
      const out: NestedNumbers[] = [];
      for (let i = 0; i < n; i++) out.push(dim === shape.length - 1 ? this.data[offset + i]! : build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  toString(): string {
    const shown = Array.from(this.data.subarray(0, 8), (v) => String(v)).join(', ');
    return `HostTensor(${formatType(this.type)}: [${shown}${this.data.length > 8 ? ', …' : ''}])`;
  }
}

function defaultDType(data: unknown): DType {
  if (data instanceof Int32Array) return 'i32';
  if (data instanceof Uint32Array) return 'u32';
  if (data instanceof Uint8Array) throw new KilnError({ message: "k.tensor: a Uint8Array needs an explicit dtype ('bool', 'i32', 'u32' or 'f32')" });
  return 'f32';
}

/** Shape and row-major elements of nested arrays; ragged nesting or non-numbers are errors naming the position. */
function flatten(data: readonly NestedArray[] | number | boolean): { shape: number[]; values: number[] } {
  if (typeof data === 'number' || typeof data === 'boolean') return { shape: [], values: [Number(data)] };
  const shape: number[] = [];
  for (let probe: unknown = data; Array.isArray(probe); probe = probe[0]) shape.push(probe.length);
  const values: number[] = [];
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v === 'number') values.push(v);
      else if (typeof v === 'boolean') values.push(v ? 1 : 0);
      else throw new KilnError({ message: `k.tensor: element ${path} is ${v === null ? 'null' : typeof v}, not a number` });
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim])
      throw new KilnError({
        message: `k.tensor: ragged nested arrays: ${path || 'the top level'} ${Array.isArray(v) ? `has ${v.length} entries` : 'is not an array'}, expected ${shape[dim]} (shape ${formatShape(shape)})`,
      });
    v.forEach((x, i) => walk(x, dim + 1, `${path}[${i}]`));
  };
  walk(data, 0, '');
  return { shape, values };
}

const RANGES: { readonly [D in DType]: readonly [number, number] | undefined } = { f32: undefined, i32: [-2147483648, 2147483647], u32: [0, 4294967295], bool: [0, 1] };

/** Copies `values` into the array kind of `dtype`, rejecting values the dtype cannot hold exactly. */
function convert(values: ArrayLike<number>, dtype: DType): HostArray {
  const out = allocateArray(dtype, values.length, 'f32');
  const range = RANGES[dtype];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (range !== undefined && !(Number.isInteger(v) && v >= range[0] && v <= range[1]))
      throw new KilnError({
        message: `k.tensor: element ${i} is ${v}, which is not ${dtype === 'bool' ? 'a bool (0 or 1)' : `an ${dtype} (an integer in [${range[0]}, ${range[1]}])`}`,
      });
    out[i] = v;
  }
  return out;
}

/**
 * A host tensor from nested arrays, a typed array with a shape, or a number. The dtype defaults to
 * i32 for Int32Array, u32 for Uint32Array and f32 otherwise; integer and bool dtypes reject
 * fractional or out-of-range values instead of truncating them. The data is copied.
 */
export function tensor(data: TensorInput | ArrayLike<number>, shape?: Shape, dtype?: DType): HostTensor {
  if (data instanceof HostTensor) {
    if (shape !== undefined && (shape.length !== data.rank || shape.some((d, i) => d !== data.shape[i])))
      throw new KilnError({ message: `k.tensor: shape ${formatShape(shape)} given for a ${formatType(data.type)} tensor` });
    return dtype === undefined || dtype === data.dtype ? new HostTensor(data.type, data.data.slice()) : new HostTensor({ dtype, shape: data.shape }, convert(data.data, dtype));
  }
  let values: ArrayLike<number>;
  let found: number[] | undefined;
  if (typeof data === 'number' || typeof data === 'boolean' || Array.isArray(data)) {
    const flat = flatten(data as readonly NestedArray[] | number | boolean);
    values = flat.values;
    found = flat.shape;
  } else if (ArrayBuffer.isView(data) || (typeof data === 'object' && data !== null && 'length' in data)) {
    values = data as ArrayLike<number>;
  } else throw new KilnError({ message: `k.tensor: expected nested arrays, a typed array or a number, got ${data === null ? 'null' : typeof data}` });
  const d = dtype ?? (found !== undefined ? 'f32' : defaultDType(data));
  const s = shape ?? found ?? [values.length];
  for (const dim of s) if (!Number.isInteger(dim) || dim < 0) throw new KilnError({ message: `k.tensor: shape ${formatShape(s)} has a dim that is not a non-negative integer` });
  if (numel(s) !== values.length)
    throw new KilnError({
      message: `k.tensor: shape ${formatShape(s)} needs ${numel(s)} element(s), the data has ${values.length}${found !== undefined ? ` (nested as ${formatShape(found)})` : ''}`,
    });
  if (found !== undefined && shape !== undefined && found.length > 1 && (found.length !== shape.length || found.some((x, i) => x !== shape[i])))
    throw new KilnError({ message: `k.tensor: nested arrays of shape ${formatShape(found)} given with shape ${formatShape(shape)}` });
  return new HostTensor({ dtype: d, shape: s }, convert(values, d));
}

/** A host tensor of `type` filled by a runtime result (no copy: results are fresh arrays). */
export function fromRuntime(t: RuntimeHostTensor): HostTensor {
  return t instanceof HostTensor ? t : new HostTensor(t.type, t.data);
}
