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
