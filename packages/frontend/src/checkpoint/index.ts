// Checkpoints: safetensors encode/decode (in memory) and save/load (files), plus IR dtype mapping.
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
export {
  toSafetensors,
  fromSafetensors,
  safetensorsDType,
  irDType,
  type TypedHostTensor,
  type LoadedHostTensor,
} from './host-tensors.js';
