// Shared body of the primitive parity test files: one `it` per case, each compiled on the
// WebGPU backend (outlined: one kernel per node) and compared with the CPU interpreter.

import { it } from 'vitest';
import { opDefErased, type FusionKind, type OpKind } from '@kiln/ir';
import type { Harness } from './helpers.js';
import { primitiveCases } from './cases.js';

export function opsOfFusion(kinds: readonly FusionKind[]): OpKind[] {
  return (Object.keys(primitiveCases) as OpKind[]).filter((op) => kinds.includes(opDefErased(op).fusion));
}

export function primitiveTests(h: () => Harness, ops: readonly OpKind[]): void {
  for (const op of ops)
    for (const c of primitiveCases[op])
      it(`${op}: ${c.name}`, async () => {
        await h().check(c.graph, c.inputs, c.tol);
      });
}
