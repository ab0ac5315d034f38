// The Node tune cache file: round trip, merge on write, version and corrupt files ignored with one
// warning (never used), and two concurrent writer processes losing no entries.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TUNE_CACHE_VERSION, type TuneEntry } from '@kiln/runtime';
import { defaultTuneCachePath, fileTuneStore } from '@kiln/runtime/tune-file-store';

const entry = (ms: number): TuneEntry => ({
  schedule: { kind: 'tiled', tm: 32, tn: 64, tk: 16, rm: 4, rn: 8, vec4: true },
  label: 't32x64x16-r4x8-v4',
  ms,
  defaultMs: 2 * ms,
  mode: 'quick',
  at: '2026-01-01T00:00:00.000Z',
});
const tempPath = async (): Promise<string> => join(await mkdtemp(join(tmpdir(), 'kiln-tune-')), 'sub', 'tune-v1.json');

describe('tune cache file store', () => {
  it('resolves KILN_TUNE_CACHE, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultTuneCachePath({ KILN_TUNE_CACHE: '/x/t.json', XDG_CACHE_HOME: '/c' })).toBe('/x/t.json');
    expect(defaultTuneCachePath({ XDG_CACHE_HOME: '/c' })).toBe(`/c/kiln/tune-v${TUNE_CACHE_VERSION}.json`);
    expect(defaultTuneCachePath({})).toMatch(new RegExp(`\\.cache/kiln/tune-v${TUNE_CACHE_VERSION}\\.json$`));
  });

  it('round-trips entries and merges saves instead of replacing', async () => {
    const path = await tempPath();
    const store = fileTuneStore(path);
    expect(await store.load()).toEqual({});
    await store.save({ a1: { 'gemm f32 a8x8 b8x8 c8x8': entry(1) } });
    await store.save({ a1: { 'gemm f32 a16x16 b16x16 c16x16': entry(2) }, a2: { s: entry(3) } });
    const loaded = await fileTuneStore(path).load();
    expect(Object.keys(loaded['a1'] ?? {}).sort()).toEqual(['gemm f32 a16x16 b16x16 c16x16', 'gemm f32 a8x8 b8x8 c8x8']);
    expect(loaded['a1']?.['gemm f32 a8x8 b8x8 c8x8']).toEqual(entry(1));
    expect(loaded['a2']?.['s']?.ms).toBe(3);
    expect((JSON.parse(await readFile(path, 'utf8')) as { version: unknown }).version).toBe(TUNE_CACHE_VERSION);
    // No temp or lock files left behind.
    expect((await readdir(join(path, '..'))).sort()).toEqual(['tune-v1.json']);
  });

  for (const [what, text] of [
    ['corrupt JSON', '{"version": 1, "entries": {'],
    ['a stale version', JSON.stringify({ version: 0, entries: { a1: { s: entry(1) } } })],
    ['a malformed entry', JSON.stringify({ version: 1, entries: { a1: { s: { ...entry(1), schedule: { kind: 'tiled', tm: 'big' } } } } })],
  ] as const)
    it(`ignores ${what} with one warning, then rewrites it on save`, async () => {
      const path = await tempPath();
      await fileTuneStore(path).save({});
      await writeFile(path, text);
      const warnings: string[] = [];
      const store = fileTuneStore(path, (m) => warnings.push(m));
      expect(await store.load()).toEqual({});
      expect(await store.load()).toEqual({});
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(path);
      await store.save({ a1: { fresh: entry(4) } });
      expect(await store.load()).toEqual({ a1: { fresh: entry(4) } });
    });

  it('keeps every entry of two writer processes saving at once', async () => {
    const path = await tempPath();
    await fileTuneStore(path).save({});
    const run = promisify(execFile);
    const child = (tag: string) => run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'write-entries.ts'), path, tag, '15'], { timeout: 30_000 });
    await Promise.all([child('p'), child('q')]);
    const got = Object.keys((await fileTuneStore(path).load())['adapter'] ?? {});
    expect(got).toHaveLength(30);
  }, 60_000);
});
