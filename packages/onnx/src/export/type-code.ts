// Kiln dtype -> ONNX TensorProto.DataType code, shared by the exporter's files.
import type { DType } from '@kiln/ir';
import { ONNX_BOOL, ONNX_FLOAT, ONNX_INT32, ONNX_UINT32 } from '../model.js';

export function onnxTypeCodeOf(d: DType): number {
  switch (d) {
    case 'f32': return ONNX_FLOAT;
    case 'i32': return ONNX_INT32;
    case 'u32': return ONNX_UINT32;
    case 'bool': return ONNX_BOOL;
    default: {
      const never: never = d;
      return never;
    }
  }
}
