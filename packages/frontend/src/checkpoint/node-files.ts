// Node only (the `node` target of `#checkpoint-files`): safetensors files written atomically (temp
// file, fsync, rename), so a crash or an I/O error while saving never leaves a half-written
// checkpoint in place of the previous one; I/O failures are KilnErrors naming the path.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { KilnError } from '@kiln/ir';

function ioError(what: string, path: string, e: unknown): KilnError {
  const code = typeof e === 'object' && e !== null && 'code' in e ? ` (${String(e.code)})` : '';
  return new KilnError({ file: path, message: `${what}: ${e instanceof Error ? e.message : String(e)}${code}` });
}

export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(path);
  // Same directory (rename is atomic only within one file system); a random suffix so two saves
  // racing to one path never share a temp file.
  const tmp = join(dir, `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(bytes);
      // On disk before the rename: a power cut must not leave the new name on empty blocks.
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw ioError('could not write the checkpoint (the previous file, if any, is unchanged)', path, e);
  }
}

export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (e) {
    throw ioError('could not read the checkpoint', path, e);
  }
}
