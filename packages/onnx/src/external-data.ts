// External tensor data for models read from disk: each location must name a regular file inside
// the model's folder (no absolute paths, no "..", no symlink leading out), and the requested range
// must lie inside the file; sizes are checked before anything is read.

import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { KilnError } from '@kiln/ir';
import type { ExternalReader } from './tensor-data.js';

export function nodeExternalReader(modelDir: string): ExternalReader {
  const root = realpathSync(modelDir);
  return (location, offset, length) => {
    const bad = (why: string): KilnError => new KilnError({ message: `external data "${location}": ${why}` });
    if (location.includes('\0')) throw bad('invalid file name');
    if (isAbsolute(location) || /^[A-Za-z]:/.test(location)) throw bad('absolute paths are not allowed (external data must stay inside the model folder)');
    const norm = normalize(location);
    if (norm.split(/[\\/]/).includes('..')) throw bad('".." is not allowed (external data must stay inside the model folder)');
    let real: string;
    try {
      real = realpathSync(join(root, norm));
    } catch {
      throw bad('file not found in the model folder');
    }
    if (real !== root && !real.startsWith(root + sep)) throw bad('resolves outside the model folder (symlink)');
    const st = statSync(real);
    if (!st.isFile()) throw bad('not a regular file');
    const n = length ?? st.size - offset;
    if (offset + n > st.size) throw bad(`range ${offset}+${n} is past the end of the file (${st.size} bytes)`);
    const out = new Uint8Array(n);
    const fd = openSync(real, 'r');
    try {
      let done = 0;
      while (done < n) {
        const got = readSync(fd, out, done, n - done, offset + done);
        if (got === 0) throw bad('file shrank while reading');
        done += got;
      }
    } finally {
      closeSync(fd);
    }
    return out;
  };
}
