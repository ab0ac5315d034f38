// Checkpoints on disk: safetensors files by path. The file I/O itself is Node's, reached through
// the `#checkpoint-files` conditional import and loaded on first use, so browser bundles and a
// plain `import '@kiln/frontend'` never pull in node:fs.

import { decodeSafetensors, encodeSafetensors, type SafetensorsContents, type SafetensorsTensor } from './safetensors.js';

export async function saveSafetensors(path: string, tensors: Readonly<Record<string, SafetensorsTensor>>, metadata?: Readonly<Record<string, string>>): Promise<void> {
  const bytes = encodeSafetensors(tensors, metadata, path);
  const { writeFileAtomic } = await import('#checkpoint-files');
  await writeFileAtomic(path, bytes);
}

export async function loadSafetensors(path: string): Promise<SafetensorsContents> {
  const { readFileBytes } = await import('#checkpoint-files');
  return decodeSafetensors(await readFileBytes(path), path);
}
