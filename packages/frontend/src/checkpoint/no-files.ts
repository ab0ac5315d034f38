// What `#checkpoint-files` resolves to outside Node (browsers, bundles): no file system, so saving
// or loading by path fails naming the in-memory alternative.

import { KilnError } from '@kiln/ir';

function noFiles(what: string, path: string): KilnError {
  return new KilnError({
    message: `${what} ${path}: there is no file system here (checkpoint files need Node); save with k.checkpoint.encode(module) and load bytes or a Blob with k.checkpoint.load(bytes, module) instead`,
  });
}

export async function writeFileAtomic(path: string, _bytes: Uint8Array): Promise<void> {
  throw noFiles('cannot write', path);
}

export async function readFileBytes(path: string): Promise<Uint8Array> {
  throw noFiles('cannot read', path);
}
