// Adding an op to the registry and nothing else must fail to typecheck, naming every per-op table
// the op is missing from: a copy of the sources with a `dummy` binary op added is run through tsc
// (missing-fact.ts). The list below is the checklist of docs/architecture.md ("Adding an op").

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { typecheckWithDummyOp } from './missing-fact.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Each total per-op table: the file the typechecker names when an op is missing from it. */
const TABLES = [
  'packages/codegen-wgsl/src/wgsl-rules.ts', // WGSL rule (codegen)
  'packages/fuzz/src/op-generators.ts', // fuzz generator
  'packages/ir/src/eval/eval-rules.ts', // reference evaluator rule (interpreter, constant folding)
  'packages/ir/src/ops/algebra.ts', // algebraic facts (binary elementwise ops only)
  'packages/passes/src/autodiff/vjp-rules.ts', // VJP rule (autodiff), or nondiff/unsupported with the reason
  'packages/passes/src/simplify/rules.ts', // simplification rules (possibly none)
];

describe('a new op with a fact missing fails to typecheck', () => {
  it('the unmodified copy typechecks (so the errors below come from the dummy op)', () => {
    const r = typecheckWithDummyOp(ROOT, false);
    expect([...r.errors.keys()]).toEqual([]);
    expect(r.status).toBe(0);
  }, 180_000);

  it('with the dummy op, tsc names each per-op table it is missing from', () => {
    const r = typecheckWithDummyOp(ROOT, true);
    expect([...r.errors.keys()].sort()).toEqual(TABLES);
    for (const [file, errors] of r.errors) expect(errors.join('\n'), file).toMatch(/Property 'dummy' is missing/);
  }, 180_000);
});
