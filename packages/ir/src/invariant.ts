// Checked reads for indexes an invariant guarantees (an axis already validated, a loop bound, a
// rank already tested): a miss is a bug in Kiln, reported as an internal error naming the
// invariant, never read as a silent 0 default.

import { KilnError } from './errors.js';

/** `xs[i]`, or an internal KilnError naming `what` and the invariant that should have held. */
export function elementAt<T>(xs: readonly T[], i: number, what: string): T {
  const v = xs[i];
  if (v === undefined) throw new KilnError({ message: `internal: ${what}[${i}] is out of range (length ${xs.length}); the index was meant to be checked already` });
  return v;
}

/** `map.get(key)`, or an internal KilnError naming `what`: for lookups the graph guarantees to hit. */
export function mapGet<K, V>(map: ReadonlyMap<K, V>, key: K, what: string): V {
  const v = map.get(key);
  if (v === undefined) throw new KilnError({ message: `internal: ${what} has no entry for ${String(key)}; every key was meant to be registered already` });
  return v;
}

/**
 * Checks once, before a hot loop indexes them unchecked, that every list in `lists` has exactly
 * `length` entries (e.g. strides and attrs per dim of a shape); a mismatch is an internal error.
 */
export function expectLengths(length: number, what: string, lists: Readonly<Record<string, ArrayLike<unknown>>>): void {
  for (const [name, xs] of Object.entries(lists)) {
    if (xs.length !== length) throw new KilnError({ message: `internal: ${what}: ${name} has ${xs.length} entries, expected ${length} (one per dim)` });
  }
}
