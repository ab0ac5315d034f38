// Frontend: tensors made from nothing inside a trace — constants (from numbers, nested arrays or
// typed arrays), zeros/ones/full, iota/arange, and counter-based random numbers from a u32[2] key.

import { elementAt, formatShape, mix32, numel, type DType, type Shape } from '@kiln/ir';
import { checkNumberFits, traceOf } from './broadcast.js';
import { add, cos, log, mul, sqrt, sub } from './elementwise.js';
import { at } from './layout.js';
import { currentTrace } from './trace-context.js';
import type { Tensor } from './tensor.js';

/** A number, a (nested) array of numbers, or a typed array. */
export type ArrayData = number | ArrayLike<number> | readonly ArrayData[];

function flattenData(data: ArrayData): { values: number[]; shape: number[] } {
  if (typeof data === 'number') return { values: [data], shape: [] };
  const items = Array.from(data as ArrayLike<ArrayData>);
  if (items.length === 0) return { values: [], shape: [0] };
  const parts = items.map(flattenData);
  const inner = parts[0]!.shape;
  if (parts.some((p) => formatShape(p.shape) !== formatShape(inner))) throw new Error('ragged nested array');
  return { values: parts.flatMap((p) => p.values), shape: [items.length, ...inner] };
}

export interface ConstantOptions {
  readonly dtype?: DType;
  /** With a single number: the shape to fill. With a flat list: the shape to read it as. */
  readonly shape?: Shape;
}

/** A constant tensor; a nested array gives its own shape. */
export function constant(data: ArrayData, opts: ConstantOptions = {}): Tensor {
  const ctx = currentTrace('k.constant');
  const dtype = opts.dtype ?? 'f32';
  let flat: { values: number[]; shape: number[] };
  try {
    flat = flattenData(data);
  } catch {
    throw ctx.error('constant', 'nested arrays must be rectangular');
  }
  const shape = opts.shape ?? flat.shape;
  for (const v of flat.values) checkNumberFits(ctx, 'constant', v, dtype);
  if (typeof data === 'number' || (flat.values.length === 1 && numel(shape) !== 1)) return ctx.constant(elementAt(flat.values, 0, 'scalar constant data'), { dtype, shape });
  if (flat.values.length !== numel(shape)) throw ctx.error('constant', `${flat.values.length} values do not fill shape ${formatShape(shape)}`);
  return ctx.constant(flat.values, { dtype, shape });
}

export const full = (shape: Shape, value: number, dtype: DType = 'f32'): Tensor => constant(value, { shape, dtype });
export const zeros = (shape: Shape, dtype: DType = 'f32'): Tensor => full(shape, 0, dtype);
export const ones = (shape: Shape, dtype: DType = 'f32'): Tensor => full(shape, 1, dtype);
export const fullLike = (x: Tensor, value: number): Tensor => x.trace.constant(value, x.type);
export const zerosLike = (x: Tensor): Tensor => fullLike(x, 0);
export const onesLike = (x: Tensor): Tensor => fullLike(x, 1);

/** Each element is its index along `dim`. */
export function iota(shape: Shape, dim = 0, dtype: DType = 'i32'): Tensor {
  return currentTrace('k.iota').emit('iota', [], { dim }, { dtype, shape: [...shape] });
}

/** [0, 1, ..., n-1]. */
export const arange = (n: number, dtype: DType = 'i32'): Tensor => iota([n], 0, dtype);

function checkKey(key: Tensor, op: string): void {
  if (key.dtype !== 'u32' || key.rank !== 1 || key.shape[0] !== 2) throw key.trace.error(op, 'the key must be u32[2]', [key]);
}

/** Raw u32 random bits: a pure function of the key and the element index. */
export function randomBits(key: Tensor, shape: Shape): Tensor {
  checkKey(key, 'randomBits');
  return key.trace.emit('random_bits', [key], {}, { dtype: 'u32', shape: [...shape] });
}

/** Uniform f32 in [low, high). */
export function randomUniform(key: Tensor, shape: Shape, low = 0, high = 1): Tensor {
  checkKey(key, 'randomUniform');
  return key.trace.atCaller(() => {
    const u = key.trace.emit('random_bits', [key], {}, { dtype: 'f32', shape: [...shape] });
    return low === 0 && high === 1 ? u : add(mul(u, high - low), low);
  });
}

/** Normal f32 (Box–Muller on two uniform draws). */
export function randomNormal(key: Tensor, shape: Shape, mean = 0, std = 1): Tensor {
  checkKey(key, 'randomNormal');
  return key.trace.atCaller(() => {
    const u = key.trace.emit('random_bits', [key], {}, { dtype: 'f32', shape: [2, ...shape] });
    const u1 = sub(1, at(u, 0));
    const u2 = at(u, 1);
    const z = mul(sqrt(mul(log(u1), -2)), cos(mul(u2, 2 * Math.PI)));
    return mean === 0 && std === 1 ? z : add(mul(z, std), mean);
  });
}

/** A new key derived from `key` and a number (distinct numbers give independent streams). */
export function foldIn(key: Tensor, data: number): Tensor {
  checkKey(key, 'foldIn');
  const ctx = traceOf('foldIn', [key]);
  return ctx.atCaller(() => ctx.emit('add', [key, ctx.constant([mix32((data ^ 0x5bd1e995) >>> 0), mix32(data >>> 0)], key.type)], {}));
}
