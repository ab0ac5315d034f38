// FNV-1a (text-hash.ts) against the published 32-bit test vectors, and the hex form cache keys use.

import { describe, expect, it } from 'vitest';
import { FNV_OFFSET_BASIS, fnv1a32, hex32 } from '../src/index.js';

describe('fnv1a32', () => {
  it('matches the FNV-1a reference vectors', () => {
    // From the FNV reference test suite (Fowler, Noll, Vo): "" is the offset basis itself.
    expect(fnv1a32('')).toBe(FNV_OFFSET_BASIS);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('gives an independent lane for another basis and prime, and 8 hex digits', () => {
    expect(fnv1a32('foobar', 0x12345678, 0x01000195)).not.toBe(fnv1a32('foobar'));
    expect(hex32(fnv1a32('a'))).toBe('e40c292c');
    expect(hex32(5)).toBe('00000005');
  });
});
