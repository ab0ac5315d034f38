// docs/ir.md must match what scripts/ir-docs.ts generates from the op registry (grammar, and each
// op's arity, attributes, fusion class, algebra and doc string). On a failure: run pnpm docs:ir.
import { readFileSync } from 'node:fs';
import { OP_KINDS, opDefErased } from '@kiln/ir';
import { describe, expect, it } from 'vitest';
import { IR_DOC, renderIrDoc } from '../../scripts/ir-docs.js';

describe('IR reference (docs/ir.md)', () => {
  it('is up to date with the registry (pnpm docs:ir regenerates it)', () => {
    expect(readFileSync(IR_DOC, 'utf8') === renderIrDoc(), 'docs/ir.md is stale: run pnpm docs:ir').toBe(true);
  });

  it('has a section with the doc string of every op', () => {
    const text = renderIrDoc();
    for (const op of OP_KINDS) {
      expect(text, op).toContain(`### \`${op}\``);
      expect(text, op).toContain(opDefErased(op).doc);
    }
  });
});
