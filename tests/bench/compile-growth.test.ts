// Compile time grows near-linearly in graph size: the whole trace → passes → WGSL path
// (bench/compile-stack.ts, the bench's compile workload) for ~5k and ~50k nodes, runs interleaved
// so a load change on the shared machine hits both sizes; the median 50k/5k time ratio must stay
// within 12× for 10× the nodes (a quadratic pass gives ~100×). A ratio, never an absolute time.

import { describe, expect, it } from 'vitest';
import { compileStack } from '../../bench/compile-stack.js';

const SMALL = 5_000;
const LARGE = 50_000;
const ROUNDS = 3;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe('compile-time growth', () => {
  it(`compiles ${LARGE / SMALL}× the nodes in at most 12× the time (median of ${ROUNDS} interleaved rounds)`, () => {
    compileStack(SMALL); // JIT warm-up, not measured
    const small: number[] = [];
    const large: number[] = [];
    let nodes = { small: 0, large: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const a = compileStack(SMALL);
      const b = compileStack(LARGE);
      small.push(a.total_ms);
      large.push(b.total_ms);
      nodes = { small: a.nodes, large: b.nodes };
    }
    expect(nodes.large / nodes.small).toBeGreaterThan(9.5);
    const ratio = median(large) / median(small);
    expect(ratio, `50k: ${large.map((t) => t.toFixed(0)).join('/')} ms, 5k: ${small.map((t) => t.toFixed(0)).join('/')} ms`).toBeLessThanOrEqual(12);
  }, 120_000);
});
