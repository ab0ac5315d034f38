// Checkpoints ↔ IR-typed host tensors: maps Kiln dtypes to safetensors dtypes so a compiled step's
// state (`{ type: TensorType, data }`, the runtime's HostTensor shape) saves and loads directly.

import { KilnError, formatType, typesEqual, type DType, type TensorType } from '@kiln/ir';
import type { LoadedTensor, SafetensorsContents, SafetensorsDType, SafetensorsTensor } from './safetensors.js';

const TO_SAFETENSORS: { readonly [D in DType]: SafetensorsDType } = { f32: 'F32', i32: 'I32', u32: 'U32', bool: 'BOOL' };
const TO_IR: { readonly [D in SafetensorsDType]: DType } = { F32: 'f32', I32: 'i32', U32: 'u32', BOOL: 'bool' };

export interface TypedHostTensor {
  readonly type: TensorType;
  readonly data: ArrayLike<number>;
}

export function safetensorsDType(dtype: DType): SafetensorsDType {
  return TO_SAFETENSORS[dtype];
}

export function irDType(dtype: SafetensorsDType): DType {
  return TO_IR[dtype];
}

/** IR-typed tensors (e.g. f64-mode interpreter state) to safetensors entries; f32 data is rounded to f32. */
export function toSafetensors(tensors: Readonly<Record<string, TypedHostTensor>>): Record<string, SafetensorsTensor> {
  const out: Record<string, SafetensorsTensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    out[name] = { dtype: safetensorsDType(t.type.dtype), shape: t.type.shape, data: t.data };
  }
  return out;
}

export interface LoadedHostTensor {
  readonly type: TensorType;
  readonly data: LoadedTensor['data'];
}

/** Loaded safetensors to IR-typed tensors; with `expected`, also checks every name, dtype and shape. */
export function fromSafetensors(contents: SafetensorsContents, expected?: Readonly<Record<string, TensorType>>, file = '<memory>'): Record<string, LoadedHostTensor> {
  const out: Record<string, LoadedHostTensor> = {};
  for (const [name, t] of Object.entries(contents.tensors)) {
    out[name] = { type: { dtype: irDType(t.dtype), shape: [...t.shape] }, data: t.data };
  }
  if (expected !== undefined) {
    for (const [name, type] of Object.entries(expected)) {
      const got = out[name];
      if (got === undefined) throw new KilnError({ file, message: `checkpoint has no tensor "${name}"` });
      if (!typesEqual(got.type, type)) {
        throw new KilnError({
          file,
          message: `tensor "${name}" is ${formatType(got.type)} in the checkpoint, expected ${formatType(type)}`,
        });
      }
    }
  }
  return out;
}
