// Checkpoints: modules (and optimizer state) saved and loaded by name — save/encode/load — on top of
// safetensors encode/decode (in memory) and files, plus IR dtype mapping.

/**
 * Checkpoints: `save` / `encode` / `load` of modules and optimizer state as safetensors, by field-path name.
 * @module
 */
export { save, encode, load, type SaveOptions, type LoadOptions } from './module-checkpoint.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  MAX_HEADER_BYTES,
  type SafetensorsDType,
  type SafetensorsArray,
  type SafetensorsTensor,
  type LoadedTensor,
  type SafetensorsContents,
} from './safetensors.js';
export { saveSafetensors, loadSafetensors } from './files.js';
export { toSafetensors, fromSafetensors, safetensorsDType, irDType, type TypedHostTensor, type LoadedHostTensor } from './host-tensors.js';
