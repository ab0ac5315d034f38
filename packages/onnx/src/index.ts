// @kiln/onnx — read ONNX models (protobufjs against the official schema) into Kiln IR, with
// limits for untrusted files; the op table lists what is supported.
export * from './model.js';
export * from './limits.js';
export { decodeModel, decodeOptional, decodeSequence, decodeTensor } from './decode.js';
export * from './tensor-data.js';
export { importModel, defaultOpset, type ImportOptions, type ImportedModel, type ImportedParam, type ImportedValue, type OptionalBinding } from './import/import-graph.js';
export { NeedsStaticInput } from './import/node-ctx.js';
export { supportedOnnxOps } from './import/rules.js';
export { encodeModel, encodeMessage, type ModelInit } from './encode.js';
export { exportGraph, EXPORT_OPSET } from './export/export-graph.js';
