// Plain objects (field names as in onnx.proto) -> serialized ModelProto, through protobufjs's
// fromObject/encode on the same schema the decoder uses. Used by export and by tests that build
// models (and corrupt them) without the test data.

import protobuf from 'protobufjs/light.js';
import { KilnError } from '@kiln/ir';
import { ONNX_DESCRIPTOR } from './proto/onnx-descriptor.js';

/** A ModelProto as a plain object, e.g. { ir_version: 8, opset_import: [{ version: 17 }], graph: {...} }. */
export type ModelInit = Readonly<Record<string, unknown>>;

let root: protobuf.Root | undefined;

export function encodeMessage(typeName: string, init: ModelInit): Uint8Array {
  root ??= protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
  const type = root.lookupType(typeName);
  const problem = type.verify(init);
  if (problem !== null) throw new KilnError({ message: `cannot encode ${typeName}: ${problem}` });
  return type.encode(type.fromObject(init)).finish();
}

export function encodeModel(init: ModelInit): Uint8Array {
  return encodeMessage('onnx.ModelProto', init);
}
