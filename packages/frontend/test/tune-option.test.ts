// The `tune` option end to end through k.jit: 'quick' tunes and writes the cache file named by
// KILN_TUNE_CACHE; a later default ('cached') jit of the same shapes computes the same values.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TUNE_CACHE_VERSION } from '@kiln/runtime';
import type { Inputs } from '../src/index.js';

const cache = join(mkdtempSync(join(tmpdir(), 'kiln-tune-jit-')), 'tune.json');
// Set before the first compile creates the default store (it reads the variable then).
process.env['KILN_TUNE_CACHE'] = cache;
const k = await import('../src/index.js');

describe('k.jit tune option', () => {
  it("'quick' fills the cache file; 'cached' reads it and agrees", async () => {
    const a = k.tensor(
      Float32Array.from({ length: 24 * 16 }, (_, i) => Math.sin(i)),
      [24, 16],
    );
    const b = k.tensor(
      Float32Array.from({ length: 16 * 8 }, (_, i) => Math.cos(i)),
      [16, 8],
    );
    const tuned = k.jit(({ a, b }: Inputs<'a' | 'b'>) => ({ c: k.matmul(a, b) }), { backend: 'webgpu', tune: 'quick' });
    const first = (await tuned({ a, b })).c.data;
    const doc = JSON.parse(readFileSync(cache, 'utf8')) as { version: unknown; entries: unknown };
    expect(doc.version).toBe(TUNE_CACHE_VERSION);
    const sigs = Object.values(doc.entries as Record<string, Record<string, unknown>>).flatMap((e) => Object.keys(e));
    expect(sigs).toContain('gemm f32 a32x16 b16x8 c32x8');
    const cached = k.jit(({ a, b }: Inputs<'a' | 'b'>) => ({ c: k.matmul(a, b) }), { backend: 'webgpu' });
    const again = (await cached({ a, b })).c.data;
    expect(Array.from(again)).toEqual(Array.from(first));
  }, 60_000);
});
