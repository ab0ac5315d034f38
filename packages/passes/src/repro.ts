// Writing a failing pass's repro file. The passes package also runs in browsers, so node:fs is
// looked up at run time (process.getBuiltinModule) instead of imported.

import { KilnError, fnv1a32, hex32 } from '@kiln/ir';

interface MinimalFs {
  mkdirSync(path: string, options: { recursive: boolean }): unknown;
  writeFileSync(path: string, data: string): void;
}

function nodeFs(): MinimalFs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.('node:fs') as MinimalFs | undefined;
}

/** Writes `repro` under `dir` and returns the file's path. */
export function writeRepro(dir: string, pass: string, repro: string): string {
  const fs = nodeFs();
  if (fs === undefined) throw new KilnError({ message: `cannot write a repro to ${dir}: no file system here` });
  fs.mkdirSync(dir, { recursive: true });
  // Named by the text's hash, so the same repro always lands in the same file.
  const path = `${dir.replace(/\/+$/, '')}/kiln-repro-${pass}-${hex32(fnv1a32(repro))}.kir`;
  fs.writeFileSync(path, repro);
  return path;
}
