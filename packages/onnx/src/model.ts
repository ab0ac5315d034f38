// The subset of the ONNX schema Kiln reads, as plain typed records (decode.ts fills them from the
// protobufjs message after checking every field's shape, so nothing downstream sees untyped data).

export interface OnnxTensorProto {
  readonly name: string;
  readonly dims: readonly number[];
  /** TensorProto.DataType code (1 = FLOAT, 7 = INT64, ...). */
  readonly dataType: number;
  readonly rawData: Uint8Array | undefined;
  readonly floatData: readonly number[];
  readonly int32Data: readonly number[];
  readonly int64Data: readonly number[];
  readonly doubleData: readonly number[];
  readonly uint64Data: readonly number[];
  /** Present when data_location is EXTERNAL: location/offset/length entries. */
  readonly externalData: ReadonlyMap<string, string> | undefined;
}

export type OnnxDim = { readonly value: number } | { readonly param: string } | { readonly unknown: true };

export interface OnnxValueInfo {
  readonly name: string;
  /** The tensor element type; for a sequence of tensors, its items' (undefined for maps, optionals...). */
  readonly elemType: number | undefined;
  readonly kind: 'tensor' | 'sequence' | 'map' | 'optional' | 'sparse' | 'none';
  readonly shape: readonly OnnxDim[] | undefined;
  /** For an optional value: what it holds when present. */
  readonly optionalOf?: 'tensor' | 'sequence';
}

export type OnnxAttrValue =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: OnnxTensorProto }
  | { readonly kind: 'graph'; readonly value: OnnxGraph }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'other'; readonly type: number };

export interface OnnxAttribute {
  readonly name: string;
  readonly value: OnnxAttrValue;
}

export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: readonly OnnxAttribute[];
}

/** A SequenceProto of tensors (test data files hold sequence inputs and outputs this way). */
export interface OnnxSequenceProto {
  readonly name: string;
  readonly tensors: readonly OnnxTensorProto[];
}

/** An OptionalProto: absent, a tensor, or a sequence of tensors. */
export interface OnnxOptionalProto {
  readonly name: string;
  readonly value: { readonly kind: 'tensor'; readonly tensor: OnnxTensorProto } | { readonly kind: 'sequence'; readonly sequence: OnnxSequenceProto } | undefined;
}

export interface OnnxGraph {
  readonly name: string;
  readonly nodes: readonly OnnxNode[];
  readonly initializers: readonly OnnxTensorProto[];
  readonly sparseInitializers: number;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
}

export interface OnnxOpset {
  readonly domain: string;
  readonly version: number;
}

export interface OnnxModel {
  readonly irVersion: number;
  readonly producer: string;
  readonly opsets: readonly OnnxOpset[];
  readonly graph: OnnxGraph;
  readonly functions: number;
}

/** TensorProto.DataType names by code, for messages ("unsupported dtype DOUBLE"). */
export const ONNX_DTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED',
  1: 'FLOAT',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  6: 'INT32',
  7: 'INT64',
  8: 'STRING',
  9: 'BOOL',
  10: 'FLOAT16',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  16: 'BFLOAT16',
  17: 'FLOAT8E4M3FN',
  18: 'FLOAT8E4M3FNUZ',
  19: 'FLOAT8E5M2',
  20: 'FLOAT8E5M2FNUZ',
  21: 'UINT4',
  22: 'INT4',
  23: 'FLOAT4E2M1',
  24: 'FLOAT8E8M0',
  25: 'UINT2',
  26: 'INT2',
};

export function onnxDTypeName(code: number): string {
  return ONNX_DTYPE_NAMES[code] ?? `dtype#${code}`;
}

export const ONNX_FLOAT = 1;
export const ONNX_UINT8 = 2;
export const ONNX_INT8 = 3;
export const ONNX_INT32 = 6;
export const ONNX_INT64 = 7;
export const ONNX_BOOL = 9;
export const ONNX_DOUBLE = 11;
export const ONNX_UINT32 = 12;
export const ONNX_UINT64 = 13;
