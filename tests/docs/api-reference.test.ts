// The API reference in docs/api must match what TypeDoc generates from the current doc comments
// (scripts/api-docs.ts, typedoc.json): it is regenerated into a temp dir and compared file by file.
// On a failure: run `pnpm docs:api` and commit docs/api.
import { describe, expect, it } from 'vitest';
import { checkApiDocs, describeDrift, isClean } from '../../scripts/api-docs.js';

describe('API reference (docs/api)', () => {
  it('is up to date with the doc comments', () => {
    const { result, diff } = checkApiDocs();
    expect(result.code, `TypeDoc failed (exit ${result.code}):\n${result.output}`).toBe(0);
    if (!isClean(diff)) expect.fail(describeDrift(diff));
  }, 300_000);
});
