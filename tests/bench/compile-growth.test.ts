// Compile time grows near-linearly in graph size: the whole trace → passes → WGSL path
// (bench/compile-stack.ts, the bench's compile workload) for ~5k and ~50k nodes, runs interleaved
// so a load change on the shared machine hits both sizes; the median 50k/5k time ratio must stay
// within 12× for 10× the nodes (a quadratic pass gives ~100×). Likewise `fuse` alone on one long
// elementwise chain (a single growing cone: each absorb used to re-sort and re-check the whole
// cone, 1.3 s for 3k nodes): within 20× for 10× (cache and GC effects put it near 9×; quadratic
// is ~100×). Ratios, never absolute times.

import { describe, expect, it } from 'vitest';
import * as k from '@kiln/frontend';
import { fuseGraph } from '@kiln/passes';
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

  it('fuses one elementwise chain of 10× the length in at most 20× the time (median of 5 interleaved rounds)', () => {
    const chain = (steps: number) =>
      k.trace(
        ({ x }) => {
          let h = x;
          for (let i = 0; i < steps; i++) h = i % 2 === 0 ? k.tanh(h) : k.mul(h, 1.01);
          return { y: h };
        },
        { x: k.f32([16]) },
        { locations: false },
      ).graph;
    const small = chain(3_000);
    const large = chain(30_000);
    const time = (g: typeof small): number => {
      const t0 = performance.now();
      const r = fuseGraph(g);
      const ms = performance.now() - t0;
      expect(r.stats['kernels']).toBe(1); // the whole chain is one cone
      return ms;
    };
    time(small); // JIT warm-up
    time(large);
    const ts: number[] = [];
    const tl: number[] = [];
    for (let r = 0; r < 5; r++) {
      ts.push(time(small));
      tl.push(time(large));
    }
    expect(large.nodes.length / small.nodes.length).toBeGreaterThan(9.5);
    expect(median(tl) / median(ts), `45k: ${tl.map((t) => t.toFixed(0)).join('/')} ms, 4.5k: ${ts.map((t) => t.toFixed(0)).join('/')} ms`).toBeLessThanOrEqual(20);
  }, 120_000);
});
