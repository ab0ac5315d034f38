// The ONNX codec for Node builds of k.onnx (resolved through the `#onnx-codec` conditional import;
// browser bundles get onnx-absent.ts instead, which keeps protobufjs out of the size budget).
export { decodeModel, exportGraph, importModel } from '@kiln/onnx';
