// @kiln/onnx/node — reading ONNX models from disk in Node: the file size is checked before it is
// read, and external data is confined to the model's folder.

import { readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { KilnError } from '@kiln/ir';
import { decodeModel } from './decode.js';
import { nodeExternalReader } from './external-data.js';
import { DEFAULT_LIMITS, type OnnxLimits } from './limits.js';
import type { OnnxModel } from './model.js';
import type { ExternalReader } from './tensor-data.js';

export { nodeExternalReader } from './external-data.js';

export function readModelFile(path: string, limits: OnnxLimits = DEFAULT_LIMITS): { model: OnnxModel; external: ExternalReader } {
  const st = statSync(path);
  if (!st.isFile()) throw new KilnError({ file: path, message: 'not a regular file' });
  if (st.size > limits.maxFileBytes) throw new KilnError({ file: path, message: `${st.size} bytes is over the limit of ${limits.maxFileBytes}` });
  return { model: decodeModel(readFileSync(path), limits), external: nodeExternalReader(dirname(path)) };
}
