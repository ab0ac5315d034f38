// Bytes -> OnnxModel: protobufjs decodes the wire format against the official schema
// (proto/onnx-descriptor.ts); then every field is checked and copied into the typed records of
// model.ts. A malformed or truncated file is a KilnError naming what was wrong, never a crash.

import { KilnError } from '@kiln/ir';
import protobuf from 'protobufjs/light.js';
import { ONNX_DESCRIPTOR } from './proto/onnx-descriptor.js';
import type { OnnxAttrValue, OnnxAttribute, OnnxDim, OnnxGraph, OnnxModel, OnnxNode, OnnxOptionalProto, OnnxSequenceProto, OnnxTensorProto, OnnxValueInfo } from './model.js';
import { DEFAULT_LIMITS, type OnnxLimits } from './limits.js';

type Obj = Readonly<Record<string, unknown>>;

let root: protobuf.Root | undefined;
function schema(): protobuf.Root {
  if (root === undefined) {
    root = protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
    // SequenceProto lives in onnx-data.proto (test data, not models): declared here with the
    // fields Kiln reads (a sequence of tensors); protobufjs skips the others.
    const sequence = new protobuf.Type('SequenceProto')
      .add(new protobuf.Field('name', 1, 'string'))
      .add(new protobuf.Field('elem_type', 2, 'int32'))
      .add(new protobuf.Field('tensor_values', 3, 'TensorProto', 'repeated'));
    // OptionalProto (same file): absent, a tensor, or a sequence of tensors.
    const optional = new protobuf.Type('OptionalProto')
      .add(new protobuf.Field('name', 1, 'string'))
      .add(new protobuf.Field('elem_type', 2, 'int32'))
      .add(new protobuf.Field('tensor_value', 3, 'TensorProto'))
      .add(new protobuf.Field('sequence_value', 5, 'SequenceProto'));
    const onnx = root.lookup('onnx');
    if (!(onnx instanceof protobuf.Namespace)) throw new KilnError({ message: 'internal: the ONNX schema has no package onnx' });
    onnx.add(sequence);
    onnx.add(optional);
  }
  return root;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, arrays: true, defaults: false };

function malformed(what: string, detail: string): KilnError {
  return new KilnError({ message: `malformed ONNX ${what}: ${detail}` });
}

function decodeMessage(typeName: string, bytes: Uint8Array, what: string, limits: OnnxLimits): Obj {
  if (bytes.length > limits.maxFileBytes) throw new KilnError({ message: `ONNX ${what} is ${bytes.length} bytes, over the limit of ${limits.maxFileBytes}` });
  const type = schema().lookupType(typeName);
  let msg: protobuf.Message;
  try {
    msg = type.decode(bytes);
  } catch (e) {
    // protobufjs throws RangeError for truncation and Error for bad wire types.
    throw malformed(what, `protobuf decoding failed (${e instanceof Error ? e.message : String(e)}); the file is truncated or not ${typeName}`);
  }
  const o: unknown = type.toObject(msg, TO_OBJECT);
  if (!isObj(o)) throw malformed(what, 'decoder returned no message');
  return o;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function str(o: Obj, k: string): string {
  const v = o[k];
  return typeof v === 'string' ? v : '';
}
function num(o: Obj, k: string): number {
  const v = o[k];
  return typeof v === 'number' ? v : 0;
}
function has(o: Obj, k: string): boolean {
  return o[k] !== undefined;
}
function nums(o: Obj, k: string): number[] {
  const v = o[k];
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'number' ? x : NaN));
}
function strs(o: Obj, k: string): string[] {
  const v = o[k];
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'string' ? x : ''));
}
function objs(o: Obj, k: string): Obj[] {
  const v = o[k];
  if (!Array.isArray(v)) return [];
  return v.filter(isObj);
}
function obj(o: Obj, k: string): Obj | undefined {
  const v = o[k];
  return isObj(v) ? v : undefined;
}
function bytesOf(o: Obj, k: string): Uint8Array | undefined {
  const v = o[k];
  return v instanceof Uint8Array ? v : undefined;
}

const textDecoder = new TextDecoder();

export function readTensor(o: Obj): OnnxTensorProto {
  const ext = objs(o, 'external_data');
  const external = num(o, 'data_location') === 1 ? new Map(ext.map((e) => [str(e, 'key'), str(e, 'value')])) : undefined;
  return {
    name: str(o, 'name'),
    dims: nums(o, 'dims'),
    dataType: num(o, 'data_type'),
    rawData: bytesOf(o, 'raw_data'),
    floatData: nums(o, 'float_data'),
    int32Data: nums(o, 'int32_data'),
    int64Data: nums(o, 'int64_data'),
    doubleData: nums(o, 'double_data'),
    uint64Data: nums(o, 'uint64_data'),
    externalData: external,
  };
}

function readValueInfo(o: Obj): OnnxValueInfo {
  const t = obj(o, 'type');
  const name = str(o, 'name');
  if (t === undefined) return { name, elemType: undefined, kind: 'none', shape: undefined };
  const tt = obj(t, 'tensor_type');
  if (tt === undefined) {
    const kind = has(t, 'sequence_type') ? 'sequence' : has(t, 'map_type') ? 'map' : has(t, 'optional_type') ? 'optional' : has(t, 'sparse_tensor_type') ? 'sparse' : 'none';
    // A sequence's items, or an optional's tensor (or the items of its sequence): their element type.
    const inner = kind === 'optional' ? obj(obj(t, 'optional_type') ?? {}, 'elem_type') : t;
    const seq = inner === undefined ? undefined : obj(inner, 'sequence_type');
    const item = obj((seq === undefined ? inner : obj(seq, 'elem_type')) ?? {}, 'tensor_type');
    const optionalOf = kind !== 'optional' ? undefined : seq !== undefined ? 'sequence' : item !== undefined ? 'tensor' : undefined;
    const elemType = item !== undefined && has(item, 'elem_type') ? num(item, 'elem_type') : undefined;
    return { name, elemType, kind, shape: undefined, ...(optionalOf !== undefined ? { optionalOf } : {}) };
  }
  const shape = obj(tt, 'shape');
  const dims: OnnxDim[] | undefined =
    shape === undefined
      ? undefined
      : objs(shape, 'dim').map((d) => (has(d, 'dim_value') ? { value: num(d, 'dim_value') } : has(d, 'dim_param') ? { param: str(d, 'dim_param') } : { unknown: true }));
  return { name, elemType: num(tt, 'elem_type'), kind: 'tensor', shape: dims };
}

function readAttrValue(o: Obj, depth: number, limits: OnnxLimits): OnnxAttrValue {
  const type = num(o, 'type');
  switch (type) {
    case 1:
      return { kind: 'float', value: num(o, 'f') };
    case 2:
      return { kind: 'int', value: num(o, 'i') };
    case 3:
      return { kind: 'string', value: textDecoder.decode(bytesOf(o, 's') ?? new Uint8Array()) };
    case 4: {
      const t = obj(o, 't');
      if (t === undefined) throw malformed('attribute', `tensor attribute "${str(o, 'name')}" has no tensor`);
      return { kind: 'tensor', value: readTensor(t) };
    }
    case 5: {
      const g = obj(o, 'g');
      if (g === undefined) throw malformed('attribute', `graph attribute "${str(o, 'name')}" has no graph`);
      return { kind: 'graph', value: readGraph(g, depth + 1, limits) };
    }
    case 6:
      return { kind: 'floats', value: nums(o, 'floats') };
    case 7:
      return { kind: 'ints', value: nums(o, 'ints') };
    case 8: {
      const v = o['strings'];
      const list = Array.isArray(v) ? v.map((b) => (b instanceof Uint8Array ? textDecoder.decode(b) : '')) : [];
      return { kind: 'strings', value: list };
    }
    default:
      return { kind: 'other', type };
  }
}

function readNode(o: Obj, depth: number, limits: OnnxLimits): OnnxNode {
  const attributes: OnnxAttribute[] = objs(o, 'attribute').map((a) => ({ name: str(a, 'name'), value: readAttrValue(a, depth, limits) }));
  return { name: str(o, 'name'), opType: str(o, 'op_type'), domain: str(o, 'domain'), inputs: strs(o, 'input'), outputs: strs(o, 'output'), attributes };
}

function readGraph(o: Obj, depth: number, limits: OnnxLimits): OnnxGraph {
  if (depth > limits.maxGraphDepth) throw malformed('model', `subgraphs nested deeper than ${limits.maxGraphDepth}`);
  const nodes = objs(o, 'node');
  if (nodes.length > limits.maxNodes) throw new KilnError({ message: `ONNX graph has ${nodes.length} nodes, over the limit of ${limits.maxNodes}` });
  return {
    name: str(o, 'name'),
    nodes: nodes.map((n) => readNode(n, depth, limits)),
    initializers: objs(o, 'initializer').map(readTensor),
    sparseInitializers: objs(o, 'sparse_initializer').length,
    inputs: objs(o, 'input').map(readValueInfo),
    outputs: objs(o, 'output').map(readValueInfo),
  };
}

/** Decodes a serialized ModelProto. */
export function decodeModel(bytes: Uint8Array, limits: OnnxLimits = DEFAULT_LIMITS): OnnxModel {
  const o = decodeMessage('onnx.ModelProto', bytes, 'model', limits);
  const g = obj(o, 'graph');
  if (g === undefined) throw malformed('model', 'ModelProto has no graph (is this an ONNX model file?)');
  return {
    irVersion: num(o, 'ir_version'),
    producer: str(o, 'producer_name'),
    opsets: objs(o, 'opset_import').map((s) => ({ domain: str(s, 'domain'), version: num(s, 'version') })),
    graph: readGraph(g, 0, limits),
    functions: objs(o, 'functions').length,
  };
}

/** Decodes a serialized TensorProto (the test_data_set_*\/input_*.pb files). */
export function decodeTensor(bytes: Uint8Array, limits: OnnxLimits = DEFAULT_LIMITS): OnnxTensorProto {
  return readTensor(decodeMessage('onnx.TensorProto', bytes, 'tensor', limits));
}

const SEQUENCE_OF_TENSORS = 1;

const OPTIONAL_OF_TENSOR = 1;
const OPTIONAL_OF_SEQUENCE = 3;

/** Decodes a serialized OptionalProto holding nothing, a tensor or a sequence of tensors. */
export function decodeOptional(bytes: Uint8Array, limits: OnnxLimits = DEFAULT_LIMITS): OnnxOptionalProto {
  const o = decodeMessage('onnx.OptionalProto', bytes, 'optional', limits);
  const tensor = obj(o, 'tensor_value');
  const sequence = obj(o, 'sequence_value');
  const elemType = num(o, 'elem_type');
  if (tensor !== undefined && elemType === OPTIONAL_OF_TENSOR) return { name: str(o, 'name'), value: { kind: 'tensor', tensor: readTensor(tensor) } };
  if (sequence !== undefined && elemType === OPTIONAL_OF_SEQUENCE) return { name: str(o, 'name'), value: { kind: 'sequence', sequence: readSequence(sequence) } };
  if (tensor === undefined && sequence === undefined) return { name: str(o, 'name'), value: undefined };
  throw new KilnError({ message: `unsupported: an optional of element kind ${elemType} (Kiln reads optional tensors and sequences of tensors)` });
}

function readSequence(o: Obj): OnnxSequenceProto {
  const elemType = num(o, 'elem_type');
  if (elemType !== SEQUENCE_OF_TENSORS && elemType !== 0) throw new KilnError({ message: `unsupported: a sequence of element kind ${elemType} (Kiln reads sequences of tensors)` });
  return { name: str(o, 'name'), tensors: objs(o, 'tensor_values').map(readTensor) };
}

/** Decodes a serialized SequenceProto of tensors (sequence-valued test_data_set_* files). */
export function decodeSequence(bytes: Uint8Array, limits: OnnxLimits = DEFAULT_LIMITS): OnnxSequenceProto {
  return readSequence(decodeMessage('onnx.SequenceProto', bytes, 'sequence', limits));
}
