// Frontend: input specifications for `trace` (k.f32([128, 784]) etc.): a dtype and a static shape.

import { KilnError, formatShape, type DType, type Shape, type TensorType } from '@kiln/ir';

export type TensorSpec = TensorType;

export function spec(dtype: DType, shape: Shape): TensorSpec {
  for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new KilnError({ message: `a ${dtype} spec needs non-negative integer dims, got ${formatShape(shape)}` });
  return { dtype, shape: [...shape] };
}

export const f32 = (shape: Shape = []): TensorSpec => spec('f32', shape);
export const i32 = (shape: Shape = []): TensorSpec => spec('i32', shape);
export const u32 = (shape: Shape = []): TensorSpec => spec('u32', shape);
export const bool = (shape: Shape = []): TensorSpec => spec('bool', shape);
