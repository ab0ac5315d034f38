// TensorProto -> numbers: Kiln host tensors (f32/i32/u32/bool typed arrays) for data, and plain
// number lists for the static values lowering needs (shapes, axes, pads). Element counts are
// checked against the limits before anything is allocated; external data comes from a reader the
// caller supplies (external-data.ts confines it to the model's folder).

import { KilnError, formatShape, type DType, type HostArray, type HostTensor, type TensorType } from '@kiln/ir';
import { DEFAULT_LIMITS, type OnnxLimits } from './limits.js';
import { ONNX_BOOL, ONNX_DOUBLE, ONNX_FLOAT, ONNX_INT32, ONNX_INT64, ONNX_UINT32, ONNX_UINT64, onnxDTypeName, type OnnxTensorProto } from './model.js';

/** The ONNX element types Kiln runs, and the Kiln dtype each becomes (INT64 narrows to i32, range-checked). */
export const KILN_DTYPE_OF: Readonly<Record<number, DType>> = {
  [ONNX_FLOAT]: 'f32',
  [ONNX_INT32]: 'i32',
  [ONNX_INT64]: 'i32',
  [ONNX_BOOL]: 'bool',
  [ONNX_UINT32]: 'u32',
};

/** The host arrays ONNX data becomes: every HostArray but f64 (ONNX DOUBLE is not supported). */
export type KilnArray = Exclude<HostArray, Float64Array>;

/** An ir HostTensor whose data is one of those arrays. */
export interface KilnTensor extends HostTensor {
  readonly data: KilnArray;
}

/** Reads `length` bytes at `offset` of an external-data file named by `location` (relative to the model). */
export type ExternalReader = (location: string, offset: number, length: number | undefined) => Uint8Array;

export interface TensorReadOptions {
  readonly limits?: OnnxLimits;
  readonly external?: ExternalReader;
}

export function kilnDType(code: number, what: string): DType {
  const d = KILN_DTYPE_OF[code];
  if (d === undefined) throw new KilnError({ message: `${what}: unsupported dtype ${onnxDTypeName(code)} (Kiln runs FLOAT, INT32, INT64 as i32, UINT32, BOOL)` });
  return d;
}

/** Checks dims and returns the element count, before any allocation. */
export function checkedNumel(dims: readonly number[], what: string, limits: OnnxLimits): number {
  if (dims.length > limits.maxRank) throw new KilnError({ message: `${what}: rank ${dims.length} is over the limit of ${limits.maxRank}` });
  let n = 1;
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new KilnError({ message: `${what}: invalid dimension ${d} in ${formatShape(dims)}` });
    n *= d;
    if (n > limits.maxTensorElements) throw new KilnError({ message: `${what}: shape ${formatShape(dims)} has more than ${limits.maxTensorElements} elements (the limit)` });
  }
  return n;
}

const BYTES: Readonly<Record<number, number>> = { [ONNX_FLOAT]: 4, [ONNX_INT32]: 4, [ONNX_INT64]: 8, [ONNX_BOOL]: 1, [ONNX_UINT32]: 4, [ONNX_DOUBLE]: 8, [ONNX_UINT64]: 8 };

function rawBytes(t: OnnxTensorProto, what: string, n: number, opts: TensorReadOptions): Uint8Array | undefined {
  const size = BYTES[t.dataType];
  if (size === undefined) throw new KilnError({ message: `${what}: unsupported dtype ${onnxDTypeName(t.dataType)}` });
  let raw = t.rawData;
  if (t.externalData !== undefined) {
    const location = t.externalData.get('location');
    if (location === undefined || location === '') throw new KilnError({ message: `${what}: external data without a location` });
    if (opts.external === undefined) throw new KilnError({ message: `${what}: stored in external file "${location}", but no model folder was given to read it from` });
    const offset = Number(t.externalData.get('offset') ?? '0');
    const lengthText = t.externalData.get('length');
    const length = lengthText === undefined ? undefined : Number(lengthText);
    if (!Number.isSafeInteger(offset) || offset < 0 || (length !== undefined && (!Number.isSafeInteger(length) || length < 0)))
      throw new KilnError({ message: `${what}: invalid external-data offset/length for "${location}"` });
    if (length !== undefined && length !== n * size) throw new KilnError({ message: `${what}: external-data length ${length} != ${n} elements x ${size} bytes` });
    raw = opts.external(location, offset, n * size);
  }
  if (raw === undefined) return undefined;
  if (raw.length !== n * size) throw new KilnError({ message: `${what}: raw data has ${raw.length} bytes, but ${formatShape(t.dims)} ${onnxDTypeName(t.dataType)} needs ${n * size}` });
  return raw;
}

/** The tensor's elements as JavaScript numbers (int64 via BigInt; values past 2^53 lose precision). */
export function tensorNumbers(t: OnnxTensorProto, what: string, opts: TensorReadOptions = {}): number[] {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const n = checkedNumel(t.dims, what, limits);
  const raw = rawBytes(t, what, n, opts);
  if (raw !== undefined) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      switch (t.dataType) {
        case ONNX_FLOAT:
          out[i] = view.getFloat32(i * 4, true);
          break;
        case ONNX_INT32:
          out[i] = view.getInt32(i * 4, true);
          break;
        case ONNX_UINT32:
          out[i] = view.getUint32(i * 4, true);
          break;
        case ONNX_INT64:
          out[i] = Number(view.getBigInt64(i * 8, true));
          break;
        case ONNX_UINT64:
          out[i] = Number(view.getBigUint64(i * 8, true));
          break;
        case ONNX_DOUBLE:
          out[i] = view.getFloat64(i * 8, true);
          break;
        case ONNX_BOOL:
          out[i] = view.getUint8(i) !== 0 ? 1 : 0;
          break;
        default:
          throw new KilnError({ message: `${what}: unsupported dtype ${onnxDTypeName(t.dataType)}` });
      }
    }
    return out;
  }
  const list =
    t.dataType === ONNX_FLOAT
      ? t.floatData
      : t.dataType === ONNX_INT64
        ? t.int64Data
        : t.dataType === ONNX_DOUBLE
          ? t.doubleData
          : t.dataType === ONNX_UINT32 || t.dataType === ONNX_UINT64
            ? t.uint64Data
            : t.int32Data; // INT32, BOOL and the small ints live in int32_data
  if (list.length !== n) throw new KilnError({ message: `${what}: has ${list.length} elements, but shape ${formatShape(t.dims)} needs ${n}` });
  return t.dataType === ONNX_BOOL ? list.map((v) => (v !== 0 ? 1 : 0)) : [...list];
}

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

/** The tensor as a Kiln host tensor; INT64 values outside the i32 range are an error, not wrapped. */
export function toKilnTensor(t: OnnxTensorProto, what: string, opts: TensorReadOptions = {}): KilnTensor {
  const dtype = kilnDType(t.dataType, what);
  const values = tensorNumbers(t, what, opts);
  const type: TensorType = { dtype, shape: [...t.dims] };
  switch (dtype) {
    case 'f32':
      return { type, data: Float32Array.from(values) };
    case 'i32':
      for (const v of values) if (v < I32_MIN || v > I32_MAX) throw new KilnError({ message: `${what}: ${onnxDTypeName(t.dataType)} value ${v} does not fit Kiln's i32` });
      return { type, data: Int32Array.from(values) };
    case 'u32':
      return { type, data: Uint32Array.from(values) };
    case 'bool':
      return { type, data: Uint8Array.from(values) };
    default: {
      const never: never = dtype;
      return never;
    }
  }
}
