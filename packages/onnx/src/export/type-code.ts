// Kiln dtype -> ONNX TensorProto.DataType code and TensorProto objects, shared by the exporter's files.
import type { DType, TensorType } from '@kiln/ir';
import { ONNX_BOOL, ONNX_FLOAT, ONNX_INT32, ONNX_UINT32 } from '../model.js';

export function onnxTypeCodeOf(d: DType): number {
  switch (d) {
    case 'f32':
      return ONNX_FLOAT;
    case 'i32':
      return ONNX_INT32;
    case 'u32':
      return ONNX_UINT32;
    case 'bool':
      return ONNX_BOOL;
    default: {
      const never: never = d;
      return never;
    }
  }
}

export function tensorInit(name: string, type: TensorType, values: ArrayLike<number>): Record<string, unknown> {
  const d = type.dtype;
  const raw =
    d === 'f32'
      ? new Uint8Array(Float32Array.from(values).buffer)
      : d === 'i32'
        ? new Uint8Array(Int32Array.from(values).buffer)
        : d === 'u32'
          ? new Uint8Array(Uint32Array.from(values).buffer)
          : Uint8Array.from(values, (v) => (v !== 0 ? 1 : 0));
  return { name, dims: [...type.shape], data_type: onnxTypeCodeOf(d), raw_data: raw };
}
