// The Node tune cache: one JSON file ($KILN_TUNE_CACHE, else $XDG_CACHE_HOME/kiln/tune-v<version>.json,
// else ~/.cache/kiln/tune-v<version>.json, so Kilns of two cache versions keep apart files). Writers
// take a lock file, merge into what is there, write a temp file and rename it over, so readers never
// see a partial file and no writer drops another's entries. A corrupt or stale file is ignored with
// one warning per path and process, never used.

import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { TUNE_CACHE_VERSION, mergeEntries, parseTuneCache, serializeTuneCache, type TuneEntries, type TuneStore } from './cache-format.js';

export function defaultTuneCachePath(env: NodeJS.ProcessEnv = process.env): string {
  const override = env['KILN_TUNE_CACHE'];
  if (override !== undefined && override !== '') return override;
  const base = env['XDG_CACHE_HOME'] !== undefined && env['XDG_CACHE_HOME'] !== '' ? env['XDG_CACHE_HOME'] : join(homedir(), '.cache');
  return join(base, 'kiln', `tune-v${TUNE_CACHE_VERSION}.json`);
}

const warned = new Set<string>();

/** A lock older than this is a crashed writer's: taken over. */
const STALE_LOCK_MS = 5000;
const LOCK_WAIT_MS = 3000;

async function withLock<T>(path: string, body: () => Promise<T>): Promise<T> {
  const lock = `${path}.lock`;
  const start = Date.now();
  for (;;) {
    try {
      const h = await open(lock, 'wx');
      await h.close();
      break;
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) throw e;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > STALE_LOCK_MS || Date.now() - start > LOCK_WAIT_MS) await rm(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
    }
  }
  try {
    return await body();
  } finally {
    await rm(lock, { force: true });
  }
}

export function fileTuneStore(path: string = defaultTuneCachePath(), warn: (message: string) => void = (m) => console.warn(m)): TuneStore {
  const read = async (quiet: boolean): Promise<TuneEntries> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if (e instanceof Error && 'code' in e && e.code === 'ENOENT') return {};
      throw e;
    }
    const parsed = parseTuneCache(text);
    if (parsed.ok) return parsed.entries;
    if (!quiet && !warned.has(path)) {
      warned.add(path);
      warn(`kiln: ignoring the tune cache ${path}: ${parsed.reason} (it will be rewritten by the next tune)`);
    }
    return {};
  };
  return {
    where: path,
    load: () => read(false),
    async save(update) {
      await mkdir(dirname(path), { recursive: true });
      await withLock(path, async () => {
        const merged = mergeEntries(await read(true), update);
        const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        await writeFile(tmp, serializeTuneCache(merged));
        await rename(tmp, path);
      });
    },
  };
}

/** The environment's default store (the `#tune-store` import resolves here in Node). */
export function defaultTuneStore(): TuneStore {
  return fileTuneStore();
}
