// The tune cache's data: a versioned JSON document of tuned schedules keyed by adapter identity,
// then kernel signature (signature.ts). Parsing is strict: a file of another version or shape is
// rejected as a whole (the caller warns once and ignores it), never partly used.

import { ELEMENTS_PER_THREAD, type ElementsPerThread, type KernelSchedule } from '@kiln/codegen-wgsl';

/** 2: elementwise schedules carry their element order (blocked ones joined the candidates). */
export const TUNE_CACHE_VERSION = 2;

/** One tuned kernel: the winning schedule ('default' when no candidate beat it) and what it measured. */
export interface TuneEntry {
  readonly schedule: KernelSchedule | 'default';
  /** Label of the winner (scheduleLabel, or the default template's name). */
  readonly label: string;
  /** Median ms per run of the winner and of the default schedule: the signature's kernels alone, in the graph that was tuned. */
  readonly ms: number;
  readonly defaultMs: number;
  readonly mode: 'quick' | 'full';
  /** ISO time of the measurement. */
  readonly at: string;
}

/** adapter identity → signature key → entry. */
export type TuneEntries = Readonly<Record<string, Readonly<Record<string, TuneEntry>>>>;

export interface TuneCacheFile {
  readonly version: typeof TUNE_CACHE_VERSION;
  readonly entries: TuneEntries;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

const isPerThread = (v: unknown): v is ElementsPerThread => (ELEMENTS_PER_THREAD as readonly unknown[]).includes(v);

function parseSchedule(v: unknown): KernelSchedule | 'default' | undefined {
  if (v === 'default') return v;
  if (!isObj(v)) return undefined;
  switch (v['kind']) {
    case 'simple':
    case 'splitk':
      return isNum(v['workgroup']) ? { kind: v['kind'], workgroup: v['workgroup'] } : undefined;
    case 'tiled': {
      const { tm, tn, tk, rm, rn, vec4 } = v;
      if (!isNum(tm) || !isNum(tn) || !isNum(tk) || !isNum(rm) || !isNum(rn) || typeof vec4 !== 'boolean') return undefined;
      return { kind: 'tiled', tm, tn, tk, rm, rn, vec4 };
    }
    case 'elementwise': {
      const { perThread, order, vec4, workgroup } = v;
      if (!isPerThread(perThread) || (order !== 'strided' && order !== 'blocked') || typeof vec4 !== 'boolean' || !isNum(workgroup)) return undefined;
      return { kind: 'elementwise', perThread, order, vec4, workgroup };
    }
    default:
      return undefined;
  }
}

function parseEntry(v: unknown): TuneEntry | undefined {
  if (!isObj(v)) return undefined;
  const schedule = parseSchedule(v['schedule']);
  const { label, ms, defaultMs, mode, at } = v;
  if (schedule === undefined || typeof label !== 'string' || !isNum(ms) || !isNum(defaultMs) || (mode !== 'quick' && mode !== 'full') || typeof at !== 'string') return undefined;
  return { schedule, label, ms, defaultMs, mode, at };
}

/** The entries of a cache document, or why it cannot be used (wrong version, bad JSON shape). */
export function parseTuneCache(text: string): { ok: true; entries: TuneEntries } | { ok: false; reason: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isObj(doc)) return { ok: false, reason: 'not a JSON object' };
  if (doc['version'] !== TUNE_CACHE_VERSION) return { ok: false, reason: `version ${JSON.stringify(doc['version'])}, this Kiln reads version ${TUNE_CACHE_VERSION}` };
  const raw = doc['entries'];
  if (!isObj(raw)) return { ok: false, reason: "no 'entries' object" };
  const entries: Record<string, Record<string, TuneEntry>> = {};
  for (const [adapter, sigs] of Object.entries(raw)) {
    if (!isObj(sigs)) return { ok: false, reason: `entries of adapter '${adapter}' are not an object` };
    const out: Record<string, TuneEntry> = {};
    for (const [sig, e] of Object.entries(sigs)) {
      const entry = parseEntry(e);
      if (entry === undefined) return { ok: false, reason: `entry '${sig}' of adapter '${adapter}' is malformed` };
      out[sig] = entry;
    }
    entries[adapter] = out;
  }
  return { ok: true, entries };
}

/** `base` with every entry of `update` laid over it (update wins per adapter and signature). */
export function mergeEntries(base: TuneEntries, update: TuneEntries): TuneEntries {
  const out: Record<string, Record<string, TuneEntry>> = {};
  for (const [a, sigs] of Object.entries(base)) out[a] = { ...sigs };
  for (const [a, sigs] of Object.entries(update)) out[a] = { ...(out[a] ?? {}), ...sigs };
  return out;
}

export function serializeTuneCache(entries: TuneEntries): string {
  const doc: TuneCacheFile = { version: TUNE_CACHE_VERSION, entries };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

/** Where tuned schedules persist: a JSON file in Node, IndexedDB in a browser, memory in tests. */
export interface TuneStore {
  /** Every usable entry (an unreadable or stale store reads as empty, after one warning). */
  load(): Promise<TuneEntries>;
  /** Merges `update` into what the store holds now (other writers' entries are kept). */
  save(update: TuneEntries): Promise<void>;
  /** Where it lives, for messages. */
  readonly where: string;
}

/** A store held in memory (tests; environments with no persistent storage). */
export function memoryTuneStore(initial: TuneEntries = {}): TuneStore {
  let entries = initial;
  return {
    where: 'memory',
    load: () => Promise.resolve(entries),
    save: (update) => {
      entries = mergeEntries(entries, update);
      return Promise.resolve();
    },
  };
}
