// Host ↔ GPU buffer contents: every dtype is one 32-bit word per element on the GPU (bool as a
// u32 0/1), so uploads widen bool and downloads narrow it back to the CPU's Uint8Array.

import { numel, type TensorType } from '@kiln/ir';
import { toHostTensor, type HostInput, type HostTensor } from '@kiln/ir';

/** Bytes a buffer for `type` needs: codegen's storage layout (4 per element, rounded up to 16, at least 16). */
export { valueBufferBytes as bufferBytes } from '@kiln/codegen-wgsl';

/** The 32-bit words of a value of `type` (converted as the CPU interpreter converts inputs). */
export function uploadWords(value: HostInput, type: TensorType, what: string): Float32Array | Int32Array | Uint32Array {
  const t = toHostTensor(value, type, 'f32', what);
  const d = t.data;
  if (d instanceof Float32Array || d instanceof Int32Array || d instanceof Uint32Array) return d;
  return Uint32Array.from(d);
}

/** A HostTensor of `type` from downloaded bytes. */
export function downloadTensor(bytes: ArrayBuffer, type: TensorType): HostTensor {
  const n = numel(type.shape);
  const shape = [...type.shape];
  switch (type.dtype) {
    case 'f32':
      return { type: { dtype: 'f32', shape }, data: new Float32Array(bytes, 0, n).slice() };
    case 'i32':
      return { type: { dtype: 'i32', shape }, data: new Int32Array(bytes, 0, n).slice() };
    case 'u32':
      return { type: { dtype: 'u32', shape }, data: new Uint32Array(bytes, 0, n).slice() };
    case 'bool': {
      const words = new Uint32Array(bytes, 0, n);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = words[i] !== 0 ? 1 : 0;
      return { type: { dtype: 'bool', shape }, data: out };
    }
    default: {
      const never: never = type.dtype;
      return never;
    }
  }
}
