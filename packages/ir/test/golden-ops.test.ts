// Registry coverage for the IR layer: every op in OP_KINDS has a hand-written canonical golden file
// tests/golden/ir/ops/<op>.kir that parses, verifies cleanly and prints back byte-identical.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OP_KINDS, formatDiagnostic, parse, print, verify } from '../src/index.js';
import { GOLDEN_IR_DIR } from './helpers.js';

const OPS_DIR = join(GOLDEN_IR_DIR, 'ops');

describe('golden IR per op', () => {
  it('every op in the registry has a golden file', () => {
    const missing = OP_KINDS.filter((op) => !existsSync(join(OPS_DIR, `${op}.kir`)));
    expect(missing, `ops without tests/golden/ir/ops/<op>.kir: ${missing.join(', ')}`).toEqual([]);
  });

  it('has no golden file for an op that is not in the registry', () => {
    const known = new Set<string>(OP_KINDS);
    const stray = readdirSync(OPS_DIR)
      .filter((f) => f.endsWith('.kir'))
      .map((f) => f.slice(0, -'.kir'.length))
      .filter((op) => !known.has(op));
    expect(stray).toEqual([]);
  });

  for (const op of OP_KINDS) {
    it(`${op}.kir parses, verifies, uses ${op} and prints back byte-identical`, () => {
      const file = join(OPS_DIR, `${op}.kir`);
      if (!existsSync(file)) return; // reported by the coverage test above
      const text = readFileSync(file, 'utf8');
      const g = parse(text, `${op}.kir`);
      expect(verify(g, { file: `${op}.kir` }).map(formatDiagnostic)).toEqual([]);
      expect(print(g)).toBe(text);
      const everyNode = [...g.nodes, ...g.kernels.flatMap((k) => k.nodes)];
      expect(everyNode.some((n) => n.op === op)).toBe(true);
    });
  }
});
