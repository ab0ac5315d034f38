// The browser tune cache: one IndexedDB record ('kiln-tune' database, 'cache' store, key 'v<version>')
// holding the same versioned document as the Node file. Typed but not tested under Node (no
// IndexedDB there); where IndexedDB is absent the store reads empty and saves nothing.

import { TUNE_CACHE_VERSION, mergeEntries, parseTuneCache, serializeTuneCache, type TuneEntries, type TuneStore } from './cache-format.js';

const DB = 'kiln-tune';
const STORE = 'cache';
const KEY = `v${TUNE_CACHE_VERSION}`;

// The slice of the IndexedDB API used here (this package compiles without the DOM lib).
interface IDBRequest<T> {
  readonly result: T;
  readonly error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface IDBObjectStore {
  get(key: string): IDBRequest<unknown>;
  put(value: string, key: string): IDBRequest<unknown>;
}
interface IDBDatabase {
  transaction(store: string, mode: 'readonly' | 'readwrite'): { objectStore(name: string): IDBObjectStore };
  createObjectStore(name: string): IDBObjectStore;
}
interface IDBOpenDBRequest extends IDBRequest<IDBDatabase> {
  onupgradeneeded: (() => void) | null;
}
interface IdbLike {
  open(name: string, version: number): IDBOpenDBRequest;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error instanceof Error ? r.error : new Error('IndexedDB request failed'));
  });
}

async function openDb(idb: IdbLike): Promise<IDBDatabase> {
  const r = idb.open(DB, 1);
  r.onupgradeneeded = () => r.result.createObjectStore(STORE);
  return request(r);
}

let warned = false;

export function idbTuneStore(warn: (message: string) => void = (m) => console.warn(m)): TuneStore {
  const idb = (globalThis as { indexedDB?: IdbLike }).indexedDB;
  const read = async (db: IDBDatabase, quiet: boolean): Promise<TuneEntries> => {
    const text: unknown = await request(db.transaction(STORE, 'readonly').objectStore(STORE).get(KEY));
    if (typeof text !== 'string') return {};
    const parsed = parseTuneCache(text);
    if (parsed.ok) return parsed.entries;
    if (!quiet && !warned) {
      warned = true;
      warn(`kiln: ignoring the tune cache in IndexedDB: ${parsed.reason}`);
    }
    return {};
  };
  return {
    where: 'IndexedDB kiln-tune',
    async load() {
      if (idb === undefined) return {};
      return read(await openDb(idb), false);
    },
    async save(update) {
      if (idb === undefined) return;
      const db = await openDb(idb);
      // Read-merge-write: tabs writing at once may each keep their own entries last (IndexedDB
      // serializes the transactions; the merge keeps whatever the other tab wrote before).
      const merged = mergeEntries(await read(db, true), update);
      await request(db.transaction(STORE, 'readwrite').objectStore(STORE).put(serializeTuneCache(merged), KEY));
    },
  };
}

export function defaultTuneStore(): TuneStore {
  return idbTuneStore();
}
